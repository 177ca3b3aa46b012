from __future__ import annotations

from bench.read_throughput.run import main

raise SystemExit(main())
