"""Addresses for each transport, fresh for every test."""
import itertools
import socket

import pytest

TRANSPORTS = ["inproc", "ipc", "tcp"]
_inproc_names = itertools.count()


def _free_tcp_port():
    # The kernel picks a port that is free now; the test binds it right after.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(params=TRANSPORTS)
def address(request, tmp_path):
    """One address per transport, not used by any other test."""
    if request.param == "inproc":
        return "inproc://test-%d" % next(_inproc_names)
    if request.param == "ipc":
        return "ipc://%s" % (tmp_path / "test.ipc")
    return "tcp://127.0.0.1:%d" % _free_tcp_port()
