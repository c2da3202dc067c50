#!/usr/bin/env python3
"""Time from starting `alliance DB` in a pseudo-terminal to its first drawn frame.

Usage: scripts/first-frame.py BINARY DB [RUNS]
Runs the TUI in a fresh 100x30 pty RUNS times (default 15), measures until the dashboard's
pane title appears in the output, sends `q`, and prints the median and range in milliseconds.
"""
import os, pty, select, statistics, struct, sys, time, fcntl, termios

def one(binary, db):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ.update({"TERM": "xterm-256color", "ALLIANCE_TODAY": "2026-11-23", "ALLIANCE_CONFIG": "/nonexistent"})
        os.execv(binary, [binary, db])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    start = time.perf_counter()
    seen = b""
    elapsed = None
    while time.perf_counter() - start < 20:
        r, _, _ = select.select([fd], [], [], 0.5)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            seen += chunk
            if b"Active contracts" in seen:
                elapsed = (time.perf_counter() - start) * 1000
                break
    os.write(fd, b"q")
    os.waitpid(pid, 0)
    os.close(fd)
    return elapsed

def main():
    binary, db = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    times = [t for t in (one(binary, db) for _ in range(runs)) if t is not None]
    print(f"first frame: median {statistics.median(times):.1f} ms, min {min(times):.1f}, max {max(times):.1f} ({len(times)} runs)")

if __name__ == "__main__":
    main()
