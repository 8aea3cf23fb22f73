#!/usr/bin/env python3
"""A TCP proxy on loopback that adds latency without throttling throughput.

    python3 benches/latency_proxy.py LISTEN_PORT TARGET_HOST TARGET_PORT [RTT_MS]

Listens on 127.0.0.1:LISTEN_PORT and forwards every connection to
TARGET_HOST:TARGET_PORT, holding each chunk RTT_MS/2 (default 12.5 ms) in
each direction, so every round trip costs RTT_MS more; opening a connection
costs one RTT too, as the TCP handshake would on a real link. Each direction
has its own queue of (due time, bytes): a reader thread stamps and queues
each chunk as it arrives and a sender thread writes it when it is due, so
chunks keep their order and many may be in flight at once (latency is added,
bandwidth is not capped). Threads and time.sleep rather than asyncio, whose
timers wake up to ~2 ms late here. Used by benches/peers.sh; stops on
SIGTERM/SIGINT.
"""

import queue
import signal
import socket
import sys
import threading
import time


def forward(src, dst, delay, not_before):
    """Copies src to dst, each chunk sent `delay` seconds after it arrived."""
    chunks = queue.SimpleQueue()

    def send():
        try:
            while True:
                due, data = chunks.get()
                wait = max(due, not_before) - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            try:
                dst.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    try:
        while True:
            data = src.recv(1 << 16)
            chunks.put((time.monotonic() + delay, data))
            if not data:
                break
    except OSError:
        chunks.put((0.0, b""))
    sender.join()


def handle(client, host, port, delay):
    accepted = time.monotonic()
    try:
        upstream = socket.create_connection((host, port))
    except OSError:
        client.close()
        return
    for sock in (client, upstream):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    # The client's first bytes reach the server one handshake (2 * delay)
    # plus one way (delay) after it connected, as over a real link.
    up = threading.Thread(
        target=forward, args=(client, upstream, delay, accepted + 3 * delay), daemon=True
    )
    up.start()
    forward(upstream, client, delay, 0.0)
    up.join()
    client.close()
    upstream.close()


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    listen_port, host, port = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    rtt_ms = float(sys.argv[4]) if len(sys.argv) == 5 else 25.0
    delay = rtt_ms / 2000.0
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", listen_port))
    listener.listen(64)

    def stop(*_):
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"latency proxy 127.0.0.1:{listen_port} -> {host}:{port}, +{rtt_ms:g} ms per round trip",
          flush=True)
    while True:
        client, _ = listener.accept()
        threading.Thread(target=handle, args=(client, host, port, delay), daemon=True).start()


if __name__ == "__main__":
    main()
