"""A minimal protocol-v1 backend on real loopback sockets whose publications a test scripts."""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import numpy as np
import zmq

from backend_client.city import sensor_to_dict
from backend_client.codec import (
    alarm_to_wire,
    decode_request,
    encode_alarm_change,
    encode_heartbeat,
    encode_reply,
    encode_telemetry,
)
from backend_client.protocol import AlarmChange, AlarmRecord, AlarmState, Heartbeat, Reply

CITY = {
    "format": "lifeline-city/1",
    "name": "Scripted",
    "pipelines": [
        {"id": "P1", "domain": "gas", "diameter": 0.3, "depth": 1.2, "path": [[0, 0], [100, 0]]}
    ],
    "sensors": [
        {
            "id": f"S{i}",
            "name": f"Sensor {i}",
            "domain": "gas",
            "type": "pressure",
            "unit": "kPa",
            "position": [i * 10.0, 0, -1.2],
            "asset": "P1",
            "limits": {"high": [9, 8, 7, 6]},
        }
        for i in range(4)
    ],
}


class ScriptedBackend:
    """Answers hello/city/alarms/ack from in-memory state; the test publishes what it wants."""

    def __init__(self) -> None:
        from backend_client.city import city_from_dict

        self.city = city_from_dict(CITY)
        self.ctx = zmq.Context.instance()
        self.pub = self.ctx.socket(zmq.PUB)
        self.pub.bind("tcp://127.0.0.1:*")
        self.router = self.ctx.socket(zmq.ROUTER)
        self.router.bind("tcp://127.0.0.1:*")
        self.pub_endpoint = self.pub.getsockopt_string(zmq.LAST_ENDPOINT)
        self.rpc_endpoint = self.router.getsockopt_string(zmq.LAST_ENDPOINT)
        self.instance = uuid.uuid4().hex
        self.seq = 0
        self.alarms: dict[str, AlarmRecord] = {}
        self.requests: list[str] = []
        self.acks: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._running = True
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._running = False
        self._thread.join(2)
        self.pub.close(0)
        self.router.close(0)

    def _serve(self) -> None:
        poller = zmq.Poller()
        poller.register(self.router, zmq.POLLIN)
        last_beat = 0.0
        while self._running:
            if poller.poll(20):
                frames = self.router.recv_multipart()
                request = decode_request(frames[-1])
                with self._lock:
                    self.requests.append(request.op)
                    result = self._answer(request)
                body = encode_reply(Reply(request.id, True, result))
                self.router.send_multipart([*frames[:-1], body])
            if time.monotonic() - last_beat > 0.2:
                last_beat = time.monotonic()
                with self._lock:
                    self.send(encode_heartbeat(Heartbeat(_now(), self.instance, self.seq, 200)))

    def _answer(self, request) -> Any:
        if request.op == "hello":
            return {
                "protocol": 1,
                "server": "scripted",
                "instance": self.instance,
                "city": "Scripted",
                "time": _now(),
                "alarm_seq": self.seq,
                "channels": [sensor_to_dict(s) for s in self.city.sensors],
            }
        if request.op == "city":
            return {"city": CITY}
        if request.op == "alarms":
            return {"seq": self.seq, "alarms": [alarm_to_wire(a) for a in self.alarms.values()]}
        if request.op == "ack":
            self.acks.append(request.args)
            alarm = self.alarms[request.args["alarm"]]
            acked = AlarmRecord(
                **{**_fields(alarm), "state": AlarmState.ACKED, "ack_user": request.user}
            )
            self._change(acked)
            return {"seq": self.seq, "alarm": alarm_to_wire(acked)}
        return None

    def send(self, frames: list[bytes]) -> None:
        self.pub.send_multipart(frames)

    def raise_alarm(self, channel: int, level: int = 2, publish: bool = True) -> AlarmRecord:
        """Raise an alarm; publish=False leaves a hole in the sequence, as a lost message would."""
        sensor = self.city.sensors[channel]
        alarm = AlarmRecord(
            sensor.id,
            channel,
            sensor.id,
            level,
            AlarmState.UNACK,
            True,
            9.5,
            8.0,
            _now(),
            _now(),
            "high",
        )
        with self._lock:
            self._change(alarm, publish)
        return alarm

    def _change(self, alarm: AlarmRecord, publish: bool = True) -> None:
        self.seq += 1
        self.alarms[alarm.id] = alarm
        if publish:
            self.send(encode_alarm_change(AlarmChange(self.seq, alarm)))

    def publish_samples(self, channels: list[int], values: list[float], seq: int) -> None:
        n = len(channels)
        with self._lock:
            self.send(
                encode_telemetry(
                    "gas",
                    seq,
                    np.array(channels),
                    np.full(n, _now()),
                    np.array(values),
                    np.zeros(n),
                )
            )


def _fields(alarm: AlarmRecord) -> dict[str, Any]:
    return {name: getattr(alarm, name) for name in alarm.__slots__}


def _now() -> int:
    return int(time.time() * 1e6)


def wait_for(condition, timeout: float = 5.0) -> bool:
    """Poll a condition that another thread makes true; False when it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False
