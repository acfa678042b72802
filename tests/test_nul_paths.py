"""A path typed with a NUL character (which no file system takes) is refused in one line, like any other path
that names no usable file, and nothing is written."""

from __future__ import annotations


def test_a_sar_written_to_a_path_with_a_nul_is_refused_in_one_line(run, tmp_path):
    assert run("client", "add", "--name", "Robin Synthetic", "--dob", "14/03/1987")[0] == 0
    code, out, err = run("sar", "MHTR-0001", "-o", "\x00")
    assert code != 0 and out == ""
    assert len(err.strip().splitlines()) == 1 and "NUL" in err
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".docx") == []


def test_merging_a_return_named_with_a_nul_is_refused_in_one_line(run):
    code, out, err = run("export", "merge", "\x00", "first.xlsx")
    assert code != 0 and out == ""
    assert len(err.strip().splitlines()) == 1 and "NUL" in err


def test_any_command_given_a_nul_is_refused_in_one_line_before_it_runs(run, tmp_path):
    """``restore`` with a NUL once ended in a ValueError from the file system (found by the command-line fuzz)."""
    for words in (
        ("restore", "\x00"),
        ("import", "a\x00b.csv"),
        ("client", "add", "--name", "Jo\x00", "--dob", "1/2/1990"),
    ):
        code, out, err = run(*words)
        assert code == 2 and out == "", words
        assert len(err.strip().splitlines()) == 1 and "argument" in err and "NUL" in err, err
    assert "MHTR-0001" not in run("client", "list")[1]  # the client with a NUL in the name was not added
