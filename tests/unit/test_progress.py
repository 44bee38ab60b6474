"""Progress lines reach the terminal: a worker's through the run directory, Maven's as one line."""

from __future__ import annotations

from pathlib import Path

from trino_harness.images.artifacts import _count_download
from trino_harness.progress import ProgressTail, mirror_to, say


def test_a_worker_s_lines_go_to_the_mirror_file_and_the_controller_prints_them(tmp_path: Path, capfd):
    path = tmp_path / "progress.log"
    mirror_to(path)
    try:
        say("starting services of stack x ...")
    finally:
        mirror_to(None)
    assert capfd.readouterr().err == ""
    tail = ProgressTail(path, interval_s=0.05).start()
    with open(path, "a") as fh:
        fh.write("[trino-harness] half a li")  # not printed until its newline arrives
    tail.drain()
    assert capfd.readouterr().err == "[trino-harness] starting services of stack x ...\n"
    with open(path, "a") as fh:
        fh.write("ne\n")
    tail.stop()
    assert capfd.readouterr().err == "[trino-harness] half a line\n"


def test_a_tail_of_a_file_not_yet_written_prints_nothing(tmp_path: Path, capfd):
    tail = ProgressTail(tmp_path / "absent.log")
    tail.drain()
    assert capfd.readouterr().err == ""


def test_maven_download_lines_add_up_to_one_count():
    lines = [
        "[INFO] Downloading from central: https://repo/x.pom",
        "[INFO] Downloaded from central: https://repo/x.pom (2.5 kB at 10 kB/s)",
        "[INFO] Downloaded from central: https://repo/y.jar (1.5 MB at 3 MB/s)",
        "[INFO] Downloaded from central: https://repo/z.sha1 (40 B at 1 kB/s)",
    ]
    files, kilobytes = 0, 0.0
    for line in lines:
        files, kilobytes = _count_download(line, files, kilobytes)
    assert files == 3
    assert round(kilobytes, 2) == round(2.5 + 1536 + 40 / 1024, 2)
