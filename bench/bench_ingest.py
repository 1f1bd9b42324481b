"""Telemetry ingest: bare pyzmq SUB receive vs the real client path, fed from another process.

(a) `recv_multipart` only; (b) BackendClient's SUB drain -> codec decode -> ConsoleModel.ingest ->
ChannelBuffers.append. The publisher sends pre-encoded batches as fast as it can; each side counts
what it received in a fixed wall-clock window.
"""

from __future__ import annotations

import multiprocessing as mp
import time

import numpy as np
import zmq

from backend_client import client as client_module
from backend_client.client import BackendClient, ClientConfig
from backend_client.codec import encode_telemetry
from backend_client.model.console_model import ConsoleModel
from backend_client.model.ring_buffer import ChannelBuffers
from bench import Figure, Result, benchmark

SIZES = {
    # mode: channels, samples per batch, distinct batches, seconds per side, ring capacity
    "full": (40_000, 2_000, 64, 5.0, 1024),
    "quick": (40_000, 2_000, 32, 1.5, 256),
    "smoke": (500, 100, 4, 0.2, 16),
}
FAST_SHARE = 0.1  # share of a batch's samples from a few 100 Hz channels (several per batch)


def make_batches(n_channels: int, batch: int, count: int, seed: int = 1) -> list[list[bytes]]:
    """Pre-encoded batches shaped like the simulator's: grouped by channel, time-ordered within."""
    rng = np.random.default_rng(seed)
    fast = rng.choice(n_channels, size=max(1, n_channels // 1000), replace=False)
    t0 = 1_700_000_000_000_000
    out = []
    for seq in range(count):
        n_fast = int(batch * FAST_SHARE)
        slow = rng.choice(n_channels, size=batch - n_fast, replace=False)
        ch = np.concatenate([slow, rng.choice(fast, size=n_fast)])
        order = np.argsort(ch, kind="stable")
        ch = ch[order]
        ts = t0 + seq * 100_000 + np.arange(batch, dtype=np.int64)  # increasing within a channel
        val = rng.normal(size=batch).astype(np.float32)
        q = np.zeros(batch, dtype=np.uint8)
        out.append(encode_telemetry("gas", seq, ch, ts, val, q))
    return out


def _publish(n_channels: int, batch: int, count: int, ready, stop) -> None:
    """Child process: bind a PUB and send the batches round and round until told to stop."""
    batches = make_batches(n_channels, batch, count)
    ctx = zmq.Context()
    pub = ctx.socket(zmq.PUB)
    pub.setsockopt(zmq.LINGER, 0)
    pub.bind("tcp://127.0.0.1:*")
    ready.put(pub.getsockopt_string(zmq.LAST_ENDPOINT))
    i = 0
    while not stop.is_set():
        for _ in range(256):
            topic, body = batches[i % count]
            pub.send(topic, zmq.SNDMORE | zmq.NOBLOCK, copy=False)
            pub.send(body, zmq.NOBLOCK, copy=False)
            i += 1
    pub.close()
    ctx.term()


def _publish_bursts(n_channels: int, batch: int, count: int, ready, orders, done) -> None:
    """Child process: on each order, send that many batches at once (queues never drop)."""
    batches = make_batches(n_channels, batch, count)
    ctx = zmq.Context()
    pub = ctx.socket(zmq.PUB)
    pub.setsockopt(zmq.LINGER, 0)
    pub.setsockopt(zmq.SNDHWM, 0)  # unbounded: a burst is queued whole, nothing is dropped
    pub.bind("tcp://127.0.0.1:*")
    ready.put(pub.getsockopt_string(zmq.LAST_ENDPOINT))
    while (n := orders.get()) > 0:
        for i in range(n):
            topic, body = batches[i % count]
            pub.send(topic, zmq.SNDMORE, copy=False)
            pub.send(body, copy=False)
        done.put(n)
    pub.close()
    ctx.term()


def _burst_subscriber(ctx: zmq.Context, endpoint: str, orders, done) -> zmq.Socket:
    """A SUB with an unbounded queue, proven connected by a first burst it drains."""
    sub = ctx.socket(zmq.SUB)
    sub.setsockopt(zmq.RCVHWM, 0)
    sub.setsockopt(zmq.LINGER, 0)
    sub.setsockopt(zmq.RCVTIMEO, 30_000)
    sub.setsockopt(zmq.SUBSCRIBE, b"tel.")
    sub.connect(endpoint)
    while True:  # a PUB drops everything sent before the subscription has reached it
        orders.put(1)
        done.get(timeout=60)
        if sub.poll(500):
            while sub.poll(100):
                sub.recv_multipart()
            return sub


def _queued(orders, done, frames: int) -> None:
    """Have `frames` batches sent and give them time to reach the subscriber's queue."""
    orders.put(frames)
    done.get(timeout=120)
    time.sleep(0.3)


def burst_bare(sub: zmq.Socket, orders, done, frames: int, per_batch: int) -> float:
    """(a) samples/s of a bare recv_multipart loop taking a queued burst."""
    _queued(orders, done, frames)
    start = time.perf_counter()
    for _ in range(frames):
        sub.recv_multipart()
    return frames * per_batch / (time.perf_counter() - start)


def burst_client(
    sub: zmq.Socket,
    orders,
    done,
    frames: int,
    per_batch: int,
    n_channels: int,
    capacity: int,
    watched: int,
) -> float:
    """(b) samples/s of the client's drain decoding and storing a queued burst, all of it."""
    model = ConsoleModel(buffer_capacity=capacity)
    model.buffers = ChannelBuffers(n_channels, capacity)
    for channel in range(watched):  # channels on screen keep rings of their own
        model.buffers.series(channel * (n_channels // max(watched, 1)))
    client = BackendClient(model, ClientConfig())
    _queued(orders, done, frames)
    in_order, client_module.IN_ORDER_FRAMES = client_module.IN_ORDER_FRAMES, frames + 1
    try:  # keeping up by definition here: measure decoding every frame, none shed
        start = time.perf_counter()
        deadline = start + 120
        while model.stats.samples < frames * per_batch and time.perf_counter() < deadline:
            client._drain_sub(sub)
        elapsed = time.perf_counter() - start
    finally:
        client_module.IN_ORDER_FRAMES = in_order
    assert model.stats.shed_samples == 0
    return model.stats.samples / elapsed


def _subscribe(ctx: zmq.Context, endpoint: str) -> zmq.Socket:
    sub = ctx.socket(zmq.SUB)
    sub.setsockopt(zmq.RCVHWM, ClientConfig().sub_hwm)
    sub.setsockopt(zmq.LINGER, 0)
    sub.setsockopt(zmq.RCVTIMEO, 30_000)  # a dead publisher fails the benchmark, never hangs it
    sub.setsockopt(zmq.SUBSCRIBE, b"tel.")
    sub.connect(endpoint)
    sub.recv_multipart()  # the subscription has reached the publisher
    return sub


def bare_receive(sub: zmq.Socket, seconds: float, per_batch: int) -> float:
    """(a) samples/s that a loop doing nothing but recv_multipart takes in."""
    frames = 0
    deadline = time.perf_counter() + seconds
    start = time.perf_counter()
    while True:
        for _ in range(64):
            sub.recv_multipart()
        frames += 64
        now = time.perf_counter()
        if now >= deadline:
            return frames * per_batch / (now - start)


def client_receive(
    sub: zmq.Socket, seconds: float, n_channels: int, capacity: int
) -> tuple[float, float, ConsoleModel]:
    """(b) samples/s stored through the client's own drain; also samples/s it shed."""
    model = ConsoleModel(buffer_capacity=capacity)
    model.buffers = ChannelBuffers(n_channels, capacity)
    client = BackendClient(model, ClientConfig())  # not started: we drive its drain ourselves
    poller = zmq.Poller()
    poller.register(sub, zmq.POLLIN)
    client._drain_sub(sub)  # warm-up: first touch of the buffers
    stored0, shed0 = model.stats.samples, model.stats.shed_samples
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        if poller.poll(100):
            client._drain_sub(sub)
    elapsed = time.perf_counter() - start
    stored = (model.stats.samples - stored0) / elapsed
    shed = (model.stats.shed_samples - shed0) / elapsed
    return stored, shed, model


def client_in_process(
    n_channels: int, batch: int, count: int, capacity: int, seconds: float
) -> float:
    """Samples/s through the client's decode -> ingest -> append with no socket: its CPU cost."""
    model = ConsoleModel(buffer_capacity=capacity)
    model.buffers = ChannelBuffers(n_channels, capacity)
    client = BackendClient(model, ClientConfig())
    batches = make_batches(n_channels, batch, count)
    for frames in batches:  # warm-up
        client._on_publication(frames)
    done = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for frames in batches:
            client._on_publication(frames)
        done += len(batches)
    return done * batch / (time.perf_counter() - start)


def bursts(n_channels: int, batch: int, count: int, frames: int, capacity: int) -> tuple:
    """Bare loop and client take the same queued bursts, alternately, best of three each."""
    spawn = mp.get_context("spawn")
    ready, orders, done = spawn.Queue(), spawn.Queue(), spawn.Queue()
    proc = spawn.Process(
        target=_publish_bursts, args=(n_channels, batch, count, ready, orders, done), daemon=True
    )
    proc.start()
    ctx = zmq.Context()
    bare, client = [], []
    try:
        sub = _burst_subscriber(ctx, ready.get(timeout=60), orders, done)
        for _ in range(3):
            bare.append(burst_bare(sub, orders, done, frames, batch))
            client.append(
                burst_client(sub, orders, done, frames, batch, n_channels, capacity, WATCHED)
            )
        sub.close()
    finally:
        orders.put(0)
        proc.join(10)
        if proc.is_alive():
            proc.terminate()
        ctx.destroy(linger=0)
    return max(bare), max(client)


WATCHED = 96  # channels with rings of their own during the run: a 4 x 4 wall of 6-curve plots


@benchmark("ingest", "Telemetry ingest over loopback ZeroMQ (samples/s, one receiving core)")
def run(mode: str) -> Result:
    n_channels, batch, count, seconds, capacity = SIZES[mode]
    burst_frames = {"full": 4000, "quick": 2000, "smoke": 50}[mode]
    bare_burst, client_burst = bursts(n_channels, batch, count, burst_frames, capacity)
    spawn = mp.get_context("spawn")
    ready, stop = spawn.Queue(), spawn.Event()
    proc = spawn.Process(target=_publish, args=(n_channels, batch, count, ready, stop), daemon=True)
    proc.start()
    ctx = zmq.Context()
    try:
        endpoint = ready.get(timeout=60)
        sub = _subscribe(ctx, endpoint)
        bare = bare_receive(sub, seconds, batch)
        sub.close()
        sub = _subscribe(ctx, endpoint)
        stored, shed, model = client_receive(sub, seconds, n_channels, capacity)
        sub.close()
    finally:
        stop.set()
        proc.join(10)
        if proc.is_alive():
            proc.terminate()
        ctx.destroy(linger=0)
    assert model.stats.malformed == 0, model.stats.last_error
    cpu = client_in_process(n_channels, batch, count, capacity, seconds)
    return Result(
        figures=[
            Figure(
                "client: SUB -> decode -> ingest -> buffers, every frame of a burst",
                client_burst,
                "samples/s",
                baseline_name="bare recv_multipart, same burst",
                baseline_value=bare_burst,
                target=">= 1,000,000 samples/s and >= 0.5 x bare",
            ),
            Figure(
                "flood: client stores (while shedding the oldest)",
                stored,
                "samples/s",
                baseline_name="bare recv_multipart, same flood",
                baseline_value=bare,
            ),
            Figure("flood: client sheds (oldest first, counted)", shed, "samples/s"),
            Figure(
                "flood: client takes in (stored + shed)",
                stored + shed,
                "samples/s",
                baseline_name="bare recv_multipart, same flood",
                baseline_value=bare,
            ),
            Figure("client decode -> ingest -> append, no socket (CPU bound)", cpu, "samples/s"),
        ],
        params={
            "channels": n_channels,
            "samples per batch": batch,
            "bytes per batch": len(make_batches(n_channels, batch, 1)[0][1]),
            "burst frames": burst_frames,
            "flood seconds per side": seconds,
            "ring capacity": capacity,
            "channels with rings (on screen)": WATCHED,
        },
        notes=(
            "Burst: the publisher (another process) queues the same batches for each side and "
            "each takes them all; best of three alternating runs, so both sides see the same "
            "machine load. Flood: the publisher sends as fast as it can, faster than any "
            "consumer: the client decodes in order while it keeps up and then keeps the newest, "
            "shedding (and counting) the oldest, so it stays current. "
            "Batches are grouped by channel like the simulator's; 10% of samples come from "
            "a few 100 Hz channels. Every sample lands in the shared log and updates its "
            "channel's count and latest value; channels on screen also get it in their ring."
        ),
    )
