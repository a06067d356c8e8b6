"""Integer and string options, and the symbol table the constants come from."""
import pytest

import nanomsg_ctypes as nn
from nanomsg_ctypes import NN_SOL_SOCKET, NanomsgError, Socket


def test_constants_come_from_the_symbol_table():
    assert nn.SYMBOLS["NN_REQ"].value == nn.NN_REQ == 48
    assert nn.SYMBOLS["NN_RCVTIMEO"].ns == nn.NN_NS_SOCKET_OPTION
    assert nn.SYMBOLS["NN_RCVTIMEO"].unit == nn.NN_UNIT_MILLISECONDS
    assert nn.SYMBOLS["NN_SOCKET_NAME"].type == nn.NN_TYPE_STR
    assert nn.AF_SP == 1 and nn.NN_POLLIN == 1 and nn.NN_POLLOUT == 2


def test_int_option_defaults_and_round_trip():
    with Socket(nn.NN_PAIR) as sock:
        assert sock.getsockopt(NN_SOL_SOCKET, nn.NN_SNDBUF) == 131072
        assert sock.getsockopt(NN_SOL_SOCKET, nn.NN_RCVTIMEO) == -1
        assert sock.getsockopt(NN_SOL_SOCKET, nn.NN_PROTOCOL) == nn.NN_PAIR
        sock.setsockopt(NN_SOL_SOCKET, nn.NN_RCVTIMEO, 250)
        assert sock.getsockopt(NN_SOL_SOCKET, nn.NN_RCVTIMEO) == 250


def test_string_option_round_trip():
    with Socket(nn.NN_PAIR) as sock:
        assert sock.getsockopt(NN_SOL_SOCKET, nn.NN_SOCKET_NAME, bytes) == str(sock.id).encode()
        sock.setsockopt(NN_SOL_SOCKET, nn.NN_SOCKET_NAME, "worker")
        assert sock.getsockopt(NN_SOL_SOCKET, nn.NN_SOCKET_NAME, bytes) == b"worker"
        sock.setsockopt(NN_SOL_SOCKET, nn.NN_SOCKET_NAME, b"bytes-name")
        assert sock.getsockopt(NN_SOL_SOCKET, nn.NN_SOCKET_NAME, bytes) == b"bytes-name"


def test_protocol_option_level():
    with Socket(nn.NN_REQ) as req:
        req.setsockopt(nn.NN_REQ, nn.NN_REQ_RESEND_IVL, 1234)
        assert req.getsockopt(nn.NN_REQ, nn.NN_REQ_RESEND_IVL) == 1234


def test_unknown_option_is_enoprotoopt():
    with Socket(nn.NN_PAIR) as sock:
        with pytest.raises(NanomsgError) as caught:
            sock.getsockopt(NN_SOL_SOCKET, 9999)
    assert caught.value.errno == nn.ENOPROTOOPT


def test_bad_option_value_is_einval():
    with Socket(nn.NN_PAIR) as sock:
        with pytest.raises(NanomsgError) as caught:
            sock.setsockopt(NN_SOL_SOCKET, nn.NN_SNDBUF, 0)
    assert caught.value.errno == nn.EINVAL


def test_kind_must_be_int_or_bytes():
    with Socket(nn.NN_PAIR) as sock:
        with pytest.raises(TypeError):
            sock.getsockopt(NN_SOL_SOCKET, nn.NN_SNDBUF, str)
