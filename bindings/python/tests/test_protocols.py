"""Every protocol pair carries messages both ways over inproc, ipc and tcp."""
import nanomsg_ctypes as nn
from nanomsg_ctypes import NN_SOL_SOCKET, NN_RCVTIMEO, NN_SNDTIMEO, Socket

# Connecting is asynchronous: a PUB, BUS or SURVEYOR message sent before the
# peer's connection is up reaches nobody, so those tests send until one lands.
ATTEMPTS = 100


def pair(bind_protocol, connect_protocol, address, timeout=5000, options=()):
    """Two sockets on one address, each given the options before it binds or connects."""
    bound, connected = Socket(bind_protocol), Socket(connect_protocol)
    options = [(NN_RCVTIMEO, timeout), (NN_SNDTIMEO, timeout)] + list(options)
    for sock in (bound, connected):
        for option, value in options:
            sock.setsockopt(NN_SOL_SOCKET, option, value)
    bound.bind(address)
    connected.connect(address)
    return bound, connected


def send_until_received(sender, receiver, message):
    receiver.setsockopt(NN_SOL_SOCKET, NN_RCVTIMEO, 50)
    for _ in range(ATTEMPTS):
        sender.send(message)
        try:
            return receiver.recv()
        except nn.NanomsgError as error:
            assert error.errno == nn.ETIMEDOUT
    raise AssertionError("no message arrived")


def test_pair(address):
    a, b = pair(nn.NN_PAIR, nn.NN_PAIR, address)
    with a, b:
        b.send(b"to a")
        assert a.recv() == b"to a"
        a.send(b"to b")
        assert b.recv() == b"to b"


def test_reqrep(address):
    rep, req = pair(nn.NN_REP, nn.NN_REQ, address)
    with rep, req:
        for i in range(3):
            req.send(b"request %d" % i)
            rep.send(rep.recv().replace(b"request", b"reply"))
            assert req.recv() == b"reply %d" % i


def test_pubsub(address):
    pub, sub = pair(nn.NN_PUB, nn.NN_SUB, address)
    with pub, sub:
        sub.setsockopt(nn.NN_SUB, nn.NN_SUB_SUBSCRIBE, b"news")
        assert send_until_received(pub, sub, b"news: first") == b"news: first"
        pub.send(b"weather: filtered out")
        pub.send(b"news: second")
        assert sub.recv() == b"news: second"


def test_pipeline(address):
    pull, push = pair(nn.NN_PULL, nn.NN_PUSH, address)
    with pull, push:
        for i in range(10):
            push.send(b"job %d" % i)
        assert [pull.recv() for _ in range(10)] == [b"job %d" % i for i in range(10)]


def test_survey(address):
    surveyor, respondent = pair(nn.NN_SURVEYOR, nn.NN_RESPONDENT, address)
    with surveyor, respondent:
        surveyor.setsockopt(nn.NN_SURVEYOR, nn.NN_SURVEYOR_DEADLINE, 50)
        question = send_until_received(surveyor, respondent, b"status?")
        assert question == b"status?"
        surveyor.setsockopt(nn.NN_SURVEYOR, nn.NN_SURVEYOR_DEADLINE, 5000)
        surveyor.send(b"status?")
        assert respondent.recv() == b"status?"
        respondent.send(b"fine")
        assert surveyor.recv() == b"fine"


def test_bus(address):
    a, b = pair(nn.NN_BUS, nn.NN_BUS, address)
    with a, b:
        assert send_until_received(a, b, b"hello bus") == b"hello bus"
        b.send(b"back")
        assert a.recv() == b"back"


def test_large_message(address):
    """recv takes NN_MSG, so no message is too large for it."""
    # NN_RCVMAXSIZE, like every endpoint option, applies to later endpoints.
    pull, push = pair(nn.NN_PULL, nn.NN_PUSH, address, options=[(nn.NN_RCVMAXSIZE, -1)])
    with pull, push:
        body = bytes(range(256)) * 16384  # 4 MiB
        push.send(body)
        assert pull.recv() == body
