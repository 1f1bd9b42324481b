"""Protocol v1, its codec, the ZeroMQ client and the Qt-free client-side model."""
