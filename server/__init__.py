"""The Voilà server behind ``make serve``, ``make workshop`` and ``make trainer``.

Voilà 0.5 as it is, plus what a shared workshop server needs and Voilà's configuration cannot
express (each addition says why in its own module):

- ``app``: the application; answers only to allowed ``Host`` names (DNS rebinding), refuses
  websockets and unsafe requests from a foreign ``Origin``.
- ``kernels``: a kernel manager that caps the number of kernels (``MAX_KERNELS``), preheated
  pool kernels included.
- ``handlers``: the "room is full" page (503, ``Retry-After``), and 404s instead of 500s with
  tracebacks for malformed ``/voila/templates/…`` paths and ``/logout``.

Run it as ``python -m server <notebook> [voila options]``, exactly like ``voila``.
"""
