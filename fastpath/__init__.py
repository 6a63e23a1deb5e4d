"""Speed-ups applied underneath the domain and the executor, in one place that ``DESKQL_FAST_PATH=false``
switches off (fastpath.switch):

- ``statements``: the SQL of a request's small reads (loaders, first pages, counts, tokens) built once per
  process and kept, instead of by Tortoise for every request;
- ``rows``: model instances made from those rows without Tortoise's per-row machinery;
- ``arrays``: a parent's to-many lists read in its statement as JSON arrays (planned reads);
- ``plain_leaves``: leaf fields read and serialized without graphql-core's per-field steps;
- ``plain_objects``: objects of plain fields, members of unions and interfaces and lists of them completed
  in one loop, a shared one once per list; ``kept_shapes``: their shapes worked out once per document;
- ``shared_reads``: one read and one execution of a subscription event for all its subscribers of one
  audience.

Each trades code that knows Tortoise's or graphql-core's internals for CPU per request; docs/performance.md
gives the measurements.
"""
