"""A fan-out relay: many consoles attach to one backend through ZeroMQ's own proxies.

Publications: an XSUB connected to the backend's PUB, an XPUB bound for consoles. Subscriptions
travel upstream, so the backend sends the relay only the union of what its seats asked for
(interest subscriptions, backend_client/topics.py), and the XPUB sends each seat only its own.
Requests: a ROUTER bound for consoles, a DEALER connected to the backend's ROUTER. The ROUTER puts
the console's identity in front of each request, the backend echoes that envelope in its reply,
and the ROUTER uses it to send the reply to that console only. Both proxies are libzmq's
`zmq_proxy_steerable` running in their own threads (no Python per message); a PAIR control
socket each stops them and reads their counters.
"""

from __future__ import annotations

import logging
import struct
import threading
import uuid
from dataclasses import dataclass

import zmq

from backend_client.security import CurveConfig, CurveGate, curve_client

log = logging.getLogger(__name__)

PUB_PARTS = 2  # protocol v1: topic + body
RPC_PARTS = 2  # at the relay: console identity + body (requests) or + reply (replies)


@dataclass(frozen=True, slots=True)
class RelayConfig:
    """Where the backend is and where consoles attach."""

    backend_pub: tuple[str, ...] = ("tcp://127.0.0.1:5556",)
    backend_rpc: str = "tcp://127.0.0.1:5557"
    pub: str = "tcp://*:6556"
    rpc: str = "tcp://*:6557"
    hwm: int = 20_000  # publications queued per console (and from the backend) before dropping
    # CurveZMQ, terminated at the relay: [server] for the consoles' side (its own allowlist),
    # [client] for the backend's side (the relay's key must be on the backend's allowlist)
    curve: CurveConfig | None = None

    def __post_init__(self) -> None:
        if not self.backend_pub:
            raise ValueError("relay: at least one backend PUB endpoint is needed (--backend-pub)")


@dataclass(frozen=True, slots=True)
class RelayStats:
    """What has gone through the relay since it started (libzmq's proxy counters)."""

    publications: int = 0  # received from the backend(s) and passed to the subscribed consoles
    publication_bytes: int = 0
    subscriptions: int = 0  # distinct (un)subscriptions passed upstream to the backend
    requests: int = 0
    replies: int = 0


class _Proxy:
    """One steerable proxy in its own thread and the control socket that steers it."""

    def __init__(self, ctx: zmq.Context, name: str, front: zmq.Socket, back: zmq.Socket) -> None:
        address = f"inproc://lifeline-relay-{name}-{uuid.uuid4().hex}"
        self.control = ctx.socket(zmq.PAIR)
        self.control.bind(address)
        self._inner = ctx.socket(zmq.PAIR)
        self._inner.connect(address)
        self.front, self.back = front, back
        self._lock = threading.Lock()
        self.thread = threading.Thread(target=self._run, name=f"lifeline-relay-{name}", daemon=True)

    def _run(self) -> None:
        try:
            zmq.proxy_steerable(self.front, self.back, None, self._inner)
        except zmq.ZMQError:  # the relay must report, never vanish silently
            log.exception("relay proxy %s failed", self.thread.name)

    def statistics(self) -> list[int]:
        """libzmq's 8 counters: front in msgs/bytes, front out msgs/bytes, back in, back out."""
        with self._lock:
            if not self.thread.is_alive():
                return [0] * 8
            self.control.send(b"STATISTICS")
            if not self.control.poll(2000):
                return [0] * 8
            return [struct.unpack("<Q", f)[0] for f in self.control.recv_multipart()]

    def stop(self, timeout: float) -> None:
        with self._lock:
            if self.thread.is_alive():
                self.control.send(b"TERMINATE")
                self.thread.join(timeout)
            self._inner.close(linger=0)
            self.control.close(linger=0)
            self.front.close(linger=0)
            self.back.close(linger=0)


class Relay:
    """Binds the consoles' side, connects to the backend, and proxies until stop()."""

    def __init__(self, config: RelayConfig, context: zmq.Context | None = None) -> None:
        self.config = config
        self._own_context = context is None
        self._ctx = context or zmq.Context()
        xsub = self._ctx.socket(zmq.XSUB)
        xpub = self._ctx.socket(zmq.XPUB)
        router = self._ctx.socket(zmq.ROUTER)
        dealer = self._ctx.socket(zmq.DEALER)
        sockets = (xsub, xpub, router, dealer)
        self._gate: CurveGate | None = None
        try:
            curve = config.curve
            if curve is not None and curve.server is not None:
                self._gate = CurveGate(self._ctx, curve.server)
                self._gate.serve(xpub)
                self._gate.serve(router)
            if curve is not None and curve.client is not None:
                curve_client(xsub, curve.client)
                curve_client(dealer, curve.client)
            for sock in sockets:
                sock.setsockopt(zmq.LINGER, 0)
            xsub.setsockopt(zmq.RCVHWM, config.hwm)
            xpub.setsockopt(zmq.SNDHWM, config.hwm)
            for endpoint in config.backend_pub:
                xsub.connect(endpoint)
            dealer.connect(config.backend_rpc)
            xpub.bind(config.pub)
            router.bind(config.rpc)
        except (zmq.ZMQError, ValueError):  # ValueError: CurveConfigError, a bad key file
            for sock in sockets:
                sock.close(linger=0)
            self._stop_gate()
            if self._own_context:
                self._ctx.term()
            raise
        self.pub_endpoint = xpub.getsockopt_string(zmq.LAST_ENDPOINT)
        self.rpc_endpoint = router.getsockopt_string(zmq.LAST_ENDPOINT)
        self._pub = _Proxy(self._ctx, "pub", xsub, xpub)
        self._rpc = _Proxy(self._ctx, "rpc", router, dealer)
        self._started = False

    def start(self) -> None:
        """Start both proxies in background threads; returns at once."""
        if self._started:
            raise RuntimeError("relay already started")
        self._started = True
        self._pub.thread.start()
        self._rpc.thread.start()

    def stats(self) -> RelayStats:
        """Counters read from the running proxies (zeros once stopped)."""
        pub, rpc = self._pub.statistics(), self._rpc.statistics()
        return RelayStats(
            publications=pub[0] // PUB_PARTS,
            publication_bytes=pub[1],
            subscriptions=pub[4],
            requests=rpc[0] // RPC_PARTS,
            replies=rpc[4] // RPC_PARTS,
        )

    def stop(self, timeout: float = 2.0) -> None:
        """Stop both proxies and close every socket; safe to call twice."""
        self._pub.stop(timeout)
        self._rpc.stop(timeout)
        self._stop_gate()
        if self._own_context and not self._ctx.closed:
            self._ctx.term()

    def _stop_gate(self) -> None:
        if self._gate is not None:
            self._gate.stop()
            self._gate = None

    def __enter__(self) -> Relay:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
