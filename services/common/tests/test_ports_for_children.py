"""Ports chosen now and bound later by a child process: outside the range the kernel gives outgoing connections,
so a connection made meanwhile cannot take them, and never handed out twice."""

from __future__ import annotations

import socket

from varde_common.embedded import _outgoing_port_range, ports_for_children


def test_ports_for_children_lie_below_the_outgoing_range_and_are_never_repeated() -> None:
    low, _ = _outgoing_port_range()
    chosen = [port for _ in range(20) for port in ports_for_children(6)]
    assert len(set(chosen)) == len(chosen)
    assert all(port < low for port in chosen)


def test_consecutive_ports_for_children_follow_each_other_and_are_free() -> None:
    ports = ports_for_children(6, consecutive=True)
    assert ports == list(range(ports[0], ports[0] + 6))
    for port in ports:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))
