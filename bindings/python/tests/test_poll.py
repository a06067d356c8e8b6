"""poll over several sockets reports which can send and which can receive."""
import nanomsg_ctypes as nn
from nanomsg_ctypes import NN_POLLIN, NN_POLLOUT, Socket, poll


def test_poll_several_sockets():
    with Socket(nn.NN_PULL) as quiet, Socket(nn.NN_PULL) as busy, \
            Socket(nn.NN_PUSH) as push, Socket(nn.NN_PUSH) as feeder:
        quiet.bind("inproc://poll-quiet")
        busy.bind("inproc://poll-busy")
        push.connect("inproc://poll-quiet")
        feeder.connect("inproc://poll-busy")

        assert poll([(quiet, NN_POLLIN), (busy, NN_POLLIN)], 10) == [0, 0]

        feeder.send(b"wake up")
        revents = poll([(quiet, NN_POLLIN), (busy, NN_POLLIN), (push, NN_POLLOUT)], 5000)
        assert revents == [0, NN_POLLIN, NN_POLLOUT]
        assert busy.recv() == b"wake up"


def test_poll_times_out_with_nothing_ready():
    with Socket(nn.NN_PULL) as pull:
        pull.bind("inproc://poll-timeout")
        assert poll([(pull, NN_POLLIN)], 20) == [0]
