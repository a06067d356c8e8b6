#!/usr/bin/perl
# NanoMsg::Raw REQ/REP: `reqrep.pl rep URL COUNT` answers COUNT requests,
# `reqrep.pl req URL COUNT` asks them; both print their /proc/self/maps last.
use strict;
use warnings;
use Test::More;
use NanoMsg::Raw;

my ($role, $url, $count) = @ARGV;
my $s = nn_socket(AF_SP, $role eq 'rep' ? NN_REP : NN_REQ);
ok(defined $s && $s >= 0, "$role socket") or diag nn_strerror(nn_errno);
ok(nn_setsockopt($s, NN_SOL_SOCKET, NN_RCVTIMEO, 10000), 'receive timeout');
if ($role eq 'rep') {
    ok(defined nn_bind($s, $url), "bind $url") or diag nn_strerror(nn_errno);
    for (1 .. $count) {
        # The default length, NN_MSG, hands back a message the library allocated.
        ok(defined nn_recv($s, my $request), "request $_ arrives");
        ok(nn_send($s, "reply to $request") > 0, "reply $_ sent");
    }
} else {
    ok(defined nn_connect($s, $url), "connect $url") or diag nn_strerror(nn_errno);
    for (1 .. $count) {
        ok(nn_send($s, "request $_") > 0, "request $_ sent");
        nn_recv($s, my $reply);
        is("$reply", "reply to request $_", "reply $_");
    }
}
ok(nn_close($s), 'close');
done_testing();
print "--- maps ---\n", do { local (@ARGV, $/) = '/proc/self/maps'; <> };
