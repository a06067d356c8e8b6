"""Failed calls raise NanomsgError with the library's errno and text."""
import errno

import pytest

import nanomsg_ctypes as nn
from nanomsg_ctypes import NanomsgError, Socket
from nanomsg_ctypes._loaded import lib


def test_error_carries_errno_and_strerror():
    with Socket(nn.NN_REQ) as req:
        with pytest.raises(NanomsgError) as caught:
            req.recv()
    assert isinstance(caught.value, OSError)
    assert caught.value.errno == nn.EFSM
    assert caught.value.strerror == lib.nn_strerror(nn.EFSM).decode()
    assert caught.value.strerror in str(caught.value)


def test_rep_send_without_request_is_efsm():
    with Socket(nn.NN_REP) as rep:
        with pytest.raises(NanomsgError) as caught:
            rep.send(b"unasked")
    assert caught.value.errno == nn.EFSM


def test_dontwait_with_nothing_is_eagain():
    with Socket(nn.NN_PULL) as pull:
        pull.bind("inproc://eagain")
        with pytest.raises(NanomsgError) as caught:
            pull.recv(nn.NN_DONTWAIT)
    assert caught.value.errno == nn.EAGAIN == errno.EAGAIN


def test_receive_timeout_is_etimedout():
    with Socket(nn.NN_PULL) as pull:
        pull.setsockopt(nn.NN_SOL_SOCKET, nn.NN_RCVTIMEO, 20)
        with pytest.raises(NanomsgError) as caught:
            pull.recv()
    assert caught.value.errno == nn.ETIMEDOUT == errno.ETIMEDOUT


def test_closed_socket_is_ebadf():
    sock = Socket(nn.NN_PAIR)
    sock.close()
    assert sock.closed
    sock.close()  # a second close does nothing
    with pytest.raises(NanomsgError) as caught:
        sock.send(b"x")
    assert caught.value.errno == nn.EBADF == errno.EBADF


def test_context_manager_closes():
    with Socket(nn.NN_PAIR) as sock:
        assert not sock.closed
    assert sock.closed


def test_bad_addresses():
    with Socket(nn.NN_PAIR) as sock:
        for address, code in (("no-scheme", nn.EINVAL),
                              ("nosuch://x", nn.EPROTONOSUPPORT)):
            with pytest.raises(NanomsgError) as caught:
                sock.bind(address)
            assert caught.value.errno == code


def test_address_in_use():
    with Socket(nn.NN_PAIR) as a, Socket(nn.NN_PAIR) as b:
        a.bind("inproc://taken")
        with pytest.raises(NanomsgError) as caught:
            b.bind("inproc://taken")
    assert caught.value.errno == nn.EADDRINUSE


def test_shutdown_unknown_endpoint_is_einval():
    with Socket(nn.NN_PAIR) as sock:
        endpoint = sock.bind("inproc://shutdown")
        sock.shutdown(endpoint)
        with pytest.raises(NanomsgError) as caught:
            sock.shutdown(endpoint)
    assert caught.value.errno == nn.EINVAL
