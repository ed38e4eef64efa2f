"""Published ids only grow: an id deleted from policy_data/published_ids.yaml, committed or not, is
found in the file's git history (policy_tools.published_history.check_published). A shallow clone checks
the commits it holds and says so; a copy without git history is not refused."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from policy_tools.published_history import check_published, ever_published
from policy_tools.yamlio import PolicyDataError, load

VERSION_1 = "ids:\n  - purpose\n  - xv-a\n  - xv-b\nmoved: {}\n"
VERSION_2 = "ids:\n  - purpose\n  - xv-b\nmoved: {}\n"  # xv-a deleted, against the rule


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def commit(root: Path, text: str, message: str) -> None:
    (root / "policy_data" / "published_ids.yaml").write_text(text, encoding="utf-8")
    git(root, "add", "policy_data/published_ids.yaml")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", message)


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "policy_data").mkdir(parents=True)
    git(root, "init", "-q")
    commit(root, VERSION_1, "record ids")
    commit(root, VERSION_2, "delete one")
    return root


def append_only_problems(root: Path) -> list[PolicyDataError]:
    loaded = {"published_ids.yaml": load(root / "policy_data" / "published_ids.yaml")}
    return [p for p in check_published(root, loaded) if "append-only" in p.message]


def test_a_committed_deletion_is_found_in_history(repo: Path) -> None:
    problems = append_only_problems(repo)
    assert [p.field for p in problems] == ["ids"]
    assert "`xv-a` was recorded as published (commit " in problems[0].message
    assert problems[0].line == 1


def test_an_uncommitted_deletion_is_found_too(repo: Path) -> None:
    (repo / "policy_data" / "published_ids.yaml").write_text("ids:\n  - purpose\nmoved: {}\n", encoding="utf-8")
    assert {p.message.split("`")[1] for p in append_only_problems(repo)} == {"xv-a", "xv-b"}


def test_an_id_kept_under_moved_counts_as_kept(repo: Path) -> None:
    (repo / "policy_data" / "published_ids.yaml").write_text(VERSION_2.replace("moved: {}", "moved: {xv-a: xv-b}"), encoding="utf-8")
    assert append_only_problems(repo) == []


def test_a_shallow_clone_checks_what_it_holds_and_says_so(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    seen = ever_published(clone)
    assert seen is not None and seen[1] is True and set(seen[0]) == {"purpose", "xv-b"}
    (clone / "policy_data" / "published_ids.yaml").write_text("ids:\n  - purpose\nmoved: {}\n", encoding="utf-8")
    assert [p.message.split("`")[1] for p in append_only_problems(clone)] == ["xv-b"]
    assert "shallow clone" in capsys.readouterr().err


def test_a_copy_without_git_history_is_not_refused(repo: Path, tmp_path: Path) -> None:
    copy = tmp_path / "tarball"
    shutil.copytree(repo / "policy_data", copy / "policy_data")
    assert ever_published(copy) is None
    assert append_only_problems(copy) == []
