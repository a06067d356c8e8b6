#!/usr/bin/perl
# NanoMsg::Raw PUB/SUB in one process, for each URL given: the subscriber
# gets what matches its subscription and nothing else; errors carry errno.
use strict;
use warnings;
use Test::More;
use NanoMsg::Raw;

for my $url (@ARGV) {
    my $pub = nn_socket(AF_SP, NN_PUB);
    my $sub = nn_socket(AF_SP, NN_SUB);
    ok(defined nn_bind($pub, $url), "bind $url") or diag nn_strerror(nn_errno);
    ok(defined nn_connect($sub, $url), "connect $url");
    ok(nn_setsockopt($sub, NN_SUB, NN_SUB_SUBSCRIBE, 'news'), 'subscribe');
    ok(nn_setsockopt($sub, NN_SOL_SOCKET, NN_RCVTIMEO, 50), 'receive timeout');

    # Connecting takes a moment and PUB sends to whoever is there, so send
    # until the first message lands.
    my $first;
    for (1 .. 100) {
        nn_send($pub, 'news 0');
        last if defined nn_recv($sub, $first);
        cmp_ok(nn_errno, '==', ETIMEDOUT, 'nothing yet: ETIMEDOUT') if $_ == 1;
    }
    is("$first", 'news 0', 'first message');
    nn_send($pub, 'weather 1');
    nn_send($pub, 'news 2');
    nn_recv($sub, my $next);
    is("$next", 'news 2', 'unsubscribed topic filtered out');

    ok(!defined nn_recv($pub, my $nothing), 'PUB cannot receive');
    cmp_ok(nn_errno, '==', ENOTSUP, 'ENOTSUP');
    # nn_errno is a dualvar: the code as a number, nn_strerror's text as a string.
    is('' . nn_errno, nn_strerror(ENOTSUP), 'the error has nn_strerror text');
    ok(nn_close($_), 'close') for $sub, $pub;
}
done_testing();
print "--- maps ---\n", do { local (@ARGV, $/) = '/proc/self/maps'; <> };
