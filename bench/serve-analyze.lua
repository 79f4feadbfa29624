-- wrk script for `referee serve`: single-comment comments:analyze requests,
-- cycling through the eight comments of crates/serve/benches/load.rs.
-- wrk -t2 -c8 -d15s --latency -s bench/serve-analyze.lua http://127.0.0.1:8080
-- (wrk reports answers other than 2xx/3xx as "Non-2xx or 3xx responses")
local comments = {
  "I think the author has missed the point about the bus timetable entirely.",
  "You are a stupid idiot and nobody wants to read your rubbish.",
  "Great post, thanks for sharing the recipe!",
  "Has anyone tried this with rye flour instead? Mine came out dense.",
  "Typical of people like you to twist every word.",
  "The council meeting is on Tuesday, bring your questions.",
  "Buy cheap watches at my site, best prices!!!",
  "I disagree: the figures in the second table do not add up.",
}
local bodies = {}
for i, text in ipairs(comments) do
  bodies[i] = '{"comment":{"text":"' .. text .. '"},"languages":["en"],"requestedAttributes":{"TOXICITY":{}}}'
end
local n = 0
wrk.method = "POST"
wrk.path = "/v1alpha1/comments:analyze"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[n])
end
