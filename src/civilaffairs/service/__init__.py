"""``civilaffairs serve``: the library over HTTP (HTTP 服务), for systems not written in Python.

A FastAPI application on uvicorn with the same JSON contracts as the command line:
``POST /v1/assess`` returns what ``civilaffairs assess --format json`` prints, and so on
for batches, validation, standards, programmes, plugins, schemas and the service modules'
checks. Errors are RFC 9457 problem details; bodies, batches and time are bounded; API
keys are stored as SHA-256 digests; each request is logged as one JSON line without
personal data.

Install the ``service`` extra (``pip install 'civilaffairs[service]'``) to use it:

* :func:`civilaffairs.service.app.create_app` builds the ASGI application;
* :func:`civilaffairs.service.server.serve` runs it on uvicorn (what ``civilaffairs serve``
  does);
* :class:`civilaffairs.service.settings.Settings` holds the limits, keys and address;
* :mod:`civilaffairs.service.operations` is each endpoint without HTTP, which
  :class:`civilaffairs.client.Local` calls in-process.
"""

from __future__ import annotations

__all__: list[str] = []
