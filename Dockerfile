# The dbcompat admission webhook (deploy/ runs it). Build: docker build -t dbcompat-webhook .
FROM python:3.11-slim

WORKDIR /app
COPY pyproject.toml README.md ./
COPY grammar ./grammar
COPY src ./src
# The project itself from this checkout, with the webhook's extra (Prometheus metrics): its
# version is this checkout's, so there is no version to pin (DL3013 is about PyPI packages).
# hadolint ignore=DL3013
RUN pip install --no-cache-dir ".[webhook]" && rm -rf /app

# Each TLS connection holds a 256 KiB buffer. At this threshold glibc maps every one of them
# apart and returns it when the connection ends: under a flood of connections memory follows the
# connections held (--max-connections), where the heap kept what the churn freed (600 MiB and
# growing, against 330 MiB, in benchmarks/bench_servers.py with 2,000 attackers).
ENV MALLOC_MMAP_THRESHOLD_=131072

# Any non-root user: the webhook reads its certificate and serves on an unprivileged port.
USER 65532:65532
EXPOSE 8443
ENTRYPOINT ["dbcompat", "webhook"]
CMD ["--cert", "/tls/tls.crt", "--key", "/tls/tls.key", "--port", "8443"]
