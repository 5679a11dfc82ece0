"""`coach serve`: the local page and its JSON API (coach.web.app), over the same analysis, options and
report templates as `coach check` and `coach batch`."""
