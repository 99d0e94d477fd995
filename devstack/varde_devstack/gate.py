"""A TCP gate in front of the in-memory broker, for the system tests' broker outage.

``python -m varde_devstack.gate <listen port> <broker port>`` forwards every connection to the broker. SIGUSR1
closes the gate: open connections are reset and new ones refused, as when a broker goes down. SIGUSR2 opens it
again. The broker behind it keeps its log and its consumer groups, as Apache Kafka does across an outage.
Stopping and starting the in-memory broker instead would lose the log: its partitions would start again at
offset 0 under consumers that remember higher offsets, and those would silently skip the first new records —
a failure no real Kafka outage produces (seen in the outage test: 13 of 50 notifications missing).
"""

from __future__ import annotations

import asyncio
import signal
import sys

CHUNK = 65_536


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(CHUNK):
            writer.write(data)
            await writer.drain()
    except OSError:
        pass
    finally:
        writer.transport.abort()


class Gate:
    def __init__(self, listen_port: int, broker_port: int) -> None:
        self.listen_port = listen_port
        self.broker_port = broker_port
        self.server: asyncio.Server | None = None
        self.open_writers: set[asyncio.StreamWriter] = set()

    async def _forward(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            broker_reader, broker_writer = await asyncio.open_connection("127.0.0.1", self.broker_port)
        except OSError:
            client_writer.transport.abort()
            return
        writers = {client_writer, broker_writer}
        self.open_writers |= writers
        try:
            await asyncio.gather(_pipe(client_reader, broker_writer), _pipe(broker_reader, client_writer))
        finally:
            self.open_writers -= writers

    async def open(self) -> None:
        if self.server is None:
            self.server = await asyncio.start_server(self._forward, "127.0.0.1", self.listen_port, reuse_address=True)

    def close(self) -> None:
        server, self.server = self.server, None
        if server is not None:
            server.close()
        for writer in list(self.open_writers):
            writer.transport.abort()
        self.open_writers.clear()


async def serve(listen_port: int, broker_port: int) -> None:
    gate = Gate(listen_port, broker_port)
    await gate.open()
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    loop.add_signal_handler(signal.SIGUSR1, gate.close)
    loop.add_signal_handler(signal.SIGUSR2, lambda: loop.create_task(gate.open()))
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopping.set)
    await stopping.wait()
    gate.close()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1]), int(sys.argv[2])))
