-- wrk script for `referee serve`: single-comment comments:analyze requests,
-- cycling through the comments of crates/serve/benches/comments.txt (the
-- load benchmark's). Run from the repository's root:
-- wrk -t2 -c8 -d15s --latency -s bench/serve-analyze.lua http://127.0.0.1:8080
-- (wrk reports answers other than 2xx/3xx as "Non-2xx or 3xx responses")
local bodies = {}
for text in io.lines("crates/serve/benches/comments.txt") do
  bodies[#bodies + 1] = '{"comment":{"text":"' .. text .. '"},"languages":["en"],"requestedAttributes":{"TOXICITY":{}}}'
end
local n = 0
wrk.method = "POST"
wrk.path = "/v1alpha1/comments:analyze"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[n])
end
