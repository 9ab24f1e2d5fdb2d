#!/usr/bin/env python3
"""Issue 9 item 4's reproduction, measured: the dashboard's resident memory while N concurrent uploads of a small PNG
that declares 7000 x 7000 pixels are predicted, and for two minutes after.

    dotnet build DistillLab.sln -c Release
    python3 bench/UploadMemory/upload_memory.py [--uploads 24] [--after 120] [--env KEY=VALUE ...]

It starts the built dashboard (DistillLab.Web/bin/Release/net10.0) on a free port with a temporary data folder,
finishes one tiny run, then fires the uploads at once (multipart/form-data, no Origin header, as curl would) and
samples VmRSS from /proc/<pid>/status every 0.25 s. Standard library only."""
import argparse, http.client, json, os, shutil, socket, struct, subprocess, sys, tempfile, threading, time, zlib

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
APP = os.path.join(ROOT, "DistillLab.Web", "bin", "Release", "net10.0", "DistillLab.Web.dll")


def png_declaring(width, height):
    """A solid-colour RGB PNG: every row is filter byte 0 then the same pixels, so it deflates to ~150 KB."""
    row = b"\x00" + bytes([90, 140, 200]) * width
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def request(port, method, path, body=None, headers=None, timeout=600):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    return response.status, dict(response.getheaders()), response.read()


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--uploads", type=int, default=24)
    parser.add_argument("--side", type=int, default=7000)
    parser.add_argument("--after", type=int, default=120, help="seconds to keep sampling after the last answer")
    parser.add_argument("--env", action="append", default=[], help="extra KEY=VALUE for the app (e.g. DOTNET_gcServer=0)")
    args = parser.parse_args()
    if not os.path.exists(APP):
        sys.exit(f"{APP} is missing: run `dotnet build DistillLab.sln -c Release` first.")

    data = tempfile.mkdtemp(prefix="distilllab-upload-memory-")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, Data__Directory=data, Data__Roots__0=data, Urls=f"http://127.0.0.1:{port}", Torch__Threads="2")
    for pair in args.env:
        key, _, value = pair.partition("=")
        env[key] = value
    app = subprocess.Popen(["dotnet", APP], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(240):
            try:
                if request(port, "GET", "/healthz", timeout=2)[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            sys.exit("the dashboard did not answer /healthz in 2 minutes")

        config = json.dumps({"imageSize": 46, "limit": 60, "teacherEpochs": 1, "studentEpochs": 1}).encode()
        status, _, body = request(port, "POST", "/api/runs", config, {"Content-Type": "application/json"})
        if status != 202:
            sys.exit(f"POST /api/runs answered {status}: {body[:300]!r}")
        run = json.loads(body)["id"]
        while True:
            state = json.loads(request(port, "GET", f"/api/runs/{run}")[2])["status"].lower()
            if state in ("completed", "failed", "cancelled"):
                break
            time.sleep(1)
        if state != "completed":
            sys.exit(f"the tiny run ended {state}")

        picture = png_declaring(args.side, args.side)
        boundary = "distilllab-upload-memory"
        upload = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.png\"\r\n"
                  f"Content-Type: image/png\r\n\r\n").encode() + picture + f"\r\n--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}

        samples, stop = [], threading.Event()
        def sample():
            start = time.monotonic()
            while not stop.is_set():
                samples.append((time.monotonic() - start, rss_bytes(app.pid)))
                time.sleep(0.25)
        time.sleep(5)
        before = rss_bytes(app.pid)
        sampler = threading.Thread(target=sample)
        sampler.start()

        sampling_started = time.monotonic()
        answers = [None] * args.uploads
        def post(i):
            try:
                status, head, body = request(port, "POST", f"/api/runs/{run}/predict", upload, headers)
                answers[i] = (status, head.get("Retry-After"), body[:200].decode(errors="replace"))
            except Exception as e:  # a dropped connection is a result too
                answers[i] = (0, None, repr(e))
        started = time.monotonic()
        posters = [threading.Thread(target=post, args=(i,)) for i in range(args.uploads)]
        for t in posters:
            t.start()
        for t in posters:
            t.join()
        answered = time.monotonic() - started
        answered_at = time.monotonic() - sampling_started
        time.sleep(args.after)
        stop.set()
        sampler.join()

        counts = {}
        for status, _, _ in answers:
            counts[status] = counts.get(status, 0) + 1
        after = samples[-1][1]
        ten_after = next((r for t, r in samples if t >= answered_at + 10), after)
        report = {
            "png_bytes": len(picture), "side": args.side, "uploads": args.uploads, "env": args.env,
            "rss_before_mb": round(before / 2**20), "rss_peak_mb": round(max(r for _, r in samples) / 2**20),
            "rss_10s_after_mb": round(ten_after / 2**20), f"rss_{args.after}s_after_mb": round(after / 2**20), "all_answered_s": round(answered, 1),
            "status_counts": counts, "retry_after": sorted({a[1] for a in answers if a[1]}),
            "first_refusal": next((a[2] for a in answers if a[0] not in (200, 0)), None),
            "max_cores": os.cpu_count(),
        }
        print(json.dumps(report, indent=2))
    finally:
        app.terminate()
        try:
            app.wait(timeout=20)
        except subprocess.TimeoutExpired:
            app.kill()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
