"""tidings against newsboat 2.21, side by side on one machine in one run (issue 10's benchmark).

Run it through `benches/vs-newsboat.sh`; `python3 -m vs_newsboat --help` (from `benches/`) lists
the flags. Standard library only.
"""
