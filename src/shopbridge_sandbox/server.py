"""``shopbridge-sandbox``: start every emulator on its own port and write a JSON manifest."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from werkzeug.serving import make_server

from .registry import available


def serve(host: str, base_port: int, seed: int) -> tuple[dict[str, Any], list[Any]]:
    manifest: dict[str, Any] = {}
    servers = []
    for offset, (name, module) in enumerate(sorted(available().items())):
        emulator = module.create_emulator(seed=seed, webhook_mode="background")
        port = base_port + offset if base_port else 0
        server = make_server(host, port, emulator, threaded=True)
        actual_port = server.socket.getsockname()[1]
        base_url = f"http://{host}:{actual_port}"
        manifest[name] = module.manifest_entry(emulator, base_url)
        emulator.webhooks.start_background()
        thread = threading.Thread(target=server.serve_forever, name=f"sandbox-{name}", daemon=True)
        thread.start()
        servers.append(server)
    return manifest, servers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="shopbridge-sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--port", type=int, default=8700, help="first port; emulators take consecutive ports (0: any free)"
    )
    parser.add_argument(
        "--manifest", default="sandbox-manifest.json", help="where to write the manifest JSON"
    )
    parser.add_argument("--seed", type=int, default=int(os.environ.get("SANDBOX_SEED", "0")))
    parser.add_argument("--buyers-every", type=float, default=0.0,
                        help="simulated TikTok buyers place an order about every N seconds (0: off)")
    args = parser.parse_args(argv)

    manifest, servers = serve(args.host, args.port, args.seed)
    if not manifest:
        print("shopbridge-sandbox: no emulator is available", file=sys.stderr)
        return 1
    path = Path(args.manifest)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=2))
    tmp.replace(path)
    for name, entry in manifest.items():
        print(f"{name}: {entry.get('base_url') or entry.get('api_base_url')}", flush=True)
    if args.buyers_every and "tiktok_shop" in manifest:
        from .buyers import DemoBuyers

        DemoBuyers(manifest["tiktok_shop"]["api_base_url"], every=args.buyers_every, seed=args.seed).start()
        print(f"demo buyers: an order about every {args.buyers_every:g} s", flush=True)
    print(f"manifest: {path.resolve()}", flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    for server in servers:
        server.shutdown()
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
