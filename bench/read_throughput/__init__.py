"""Read throughput: Staffwire's HttpStream source vs an airbyte-cdk HttpStream source vs a bare loop (the floor).

Run ``.venv/bin/python -m bench.read_throughput`` (or ``.venv/bin/python bench/read_throughput/run.py``);
``--help`` lists the knobs. See bench/README.md for the figures.
"""
