-- ITU's IDI tree (GET /idi/dashboard/all, page 2 of the itu_idi pull): one row per node, with
-- its parent, read down the nested `children` lists.
-- batched: files
with recursive nodes(node, parent_id) as (
    select json, cast(null as bigint)
    from read_json($files, format = 'array', records = false, columns = {'json': 'JSON'})
    union all
    select unnest(from_json(node -> 'children', '["JSON"]')), cast(node ->> 'codeID' as bigint)
    from nodes
    where json_type(node -> 'children') = 'ARRAY'
)
select
    cast(node ->> 'codeID' as bigint) as code_id,
    node ->> 'code' as code,
    parent_id
from nodes
