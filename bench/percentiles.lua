-- wrk: prints the 50th, 95th and 99th percentile latencies in microseconds, one a line
-- ("p95 1234"), after wrk's own summary (whose table has no 95th).
done = function(summary, latency, requests)
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("p%d %d\n", p, latency:percentile(p)))
  end
end
