-- Each distinct economy text a source sent, once (a few hundred): mapped once, then joined
-- onto every row.
select distinct source, economy_by, code_system, economy_text from int_candidates
