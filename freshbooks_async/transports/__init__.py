"""Transports: the I/O seam under the client.

:class:`Transport` is the protocol; :class:`AiohttpTransport` the default
implementation; :class:`MockTransport` answers from a function, for tests.
"""

from ._protocol import Transport
from ._types import BodyStream, Headers, Request, Response

__all__ = ["BodyStream", "Headers", "Request", "Response", "Transport"]
