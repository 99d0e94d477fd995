"""A port handed to a server of the stack is one an outgoing connection cannot take before the server binds it."""

from __future__ import annotations

import socket

from varde_common.embedded import _outgoing_port_range, free_port


def test_a_free_port_is_free_and_below_the_range_of_outgoing_connections() -> None:
    low, _ = _outgoing_port_range()
    ports = {free_port() for _ in range(20)}
    assert all(port < low for port in ports)
    for port in ports:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", port))
