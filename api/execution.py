"""The executor every operation runs through: it masks unexpected errors, bounds the answer's size, reads
plain leaves directly (the fast path) and runs a subscription event's selection once for all the
subscribers who share it. Here, because queries, mutations and every subscription event pass this way.
"""

from __future__ import annotations

import asyncio
from typing import Any, cast

from graphql import (
    ExecutionResult,
    GraphQLError,
    GraphQLField,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
)
from graphql.execution.collect_fields import FieldDetails
from graphql.execution.executor import CollectedErrors
from graphql.pyutils import Path, RefMap, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from fastpath import kept_shapes, plain_objects, switch
from fastpath.plain_leaves import MISSING, NOT_READ, leaf_size, plain_field, plain_leaf
from schema.masking import mask_result

VIEWER_SPECIFIC_FIELDS = ("downloadUrl",)
"""Fields whose value depends on the viewer's token (a link signed for it), not only on their audience."""
TOO_LARGE = "QUERY_TOO_LARGE"
BAD_VARIABLES = "BAD_USER_INPUT"
UNKNOWN_OPERATION = "BAD_REQUEST"


class DeskqlExecutor(StrawberryGraphQLCoreExecutionContext):
    max_response_bytes = 32_000_000
    """Set per schema by ``executor_for``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        middleware = self.middleware_manager
        self._plain_leaves = switch.on() and not (middleware and middleware.middlewares)
        """Field middleware (a schema extension's ``resolve``) sees every field; then none is plain."""
        self._left = self.max_response_bytes
        """Bytes left of this operation's budget; a subscription's executor is copied per event, with it."""
        self._shapes = kept_shapes.shapes_of(self.schema, self.operation, self.fragments)
        """The plain shapes and items of this operation's selections (fastpath.kept_shapes)."""

    @classmethod
    def build(cls, *args: Any, **kwargs: Any) -> Any:
        """The executor, or the errors of a request that names no runnable operation or whose variables do
        not fit their types; those get the code a client can act on."""
        built = super().build(*args, **kwargs)
        if isinstance(built, list):
            for error in built:
                code = BAD_VARIABLES if error.message.startswith("Variable ") else UNKNOWN_OPERATION
                error.extensions = {**(error.extensions or {}), "code": code}
        return built

    def build_per_event_executor(self, payload: Any) -> DeskqlExecutor:
        """graphql-core's copy for one subscription event, with memos of its own (the collected subfields, the
        execution plans), dropped with it: graphql-core's copies share the subscription's, which then kept
        what its first event collected for as long as it stays open. The plain shapes are keyed by the
        document's nodes (fastpath.kept_shapes), so the copies share them. A subscription waiting for its
        next event keeps none; an event's selection is collected again by the one subscriber of each audience
        that runs it (the shared results of execute_operation)."""
        executor = cast("DeskqlExecutor", super().build_per_event_executor(payload))
        executor._relevant_sub_fields = {}
        executor._stream_usages = RefMap()
        executor._initial_execution_plans = RefMap()
        executor._deferred_execution_plans = RefMap()
        return executor

    def _spend(self, value: Any) -> None:
        """Every leaf completed counts toward ``max_response_bytes`` (``leaf_size``). Past the budget every
        further leaf fails, and the operation answers one QUERY_TOO_LARGE error and no data: the answer is
        never built, let alone serialized."""
        self._left -= leaf_size(value)
        if self._left < 0:
            raise self._too_large()

    def _too_large(self) -> GraphQLError:
        return GraphQLError(
            f"This answer would be larger than {self.max_response_bytes} bytes. "
            "Ask for fewer fields, fewer aliases or smaller pages (`first`).",
            extensions={"code": TOO_LARGE},
        )

    def complete_leaf_value(self, return_type: GraphQLLeafType, result: Any) -> Any:  # type: ignore[override]
        completed = super().complete_leaf_value(return_type, result)
        self._spend(completed)
        return completed

    def _spent(self, size: int) -> bool:
        """Spend ``size`` bytes of a plain object's answer, or nothing when they do not fit: then the object
        is completed leaf by leaf, and the leaf past the budget fails as usual."""
        if size > self._left:
            return False
        self._left -= size
        return True

    def plain_shape(
        self, object_type: GraphQLObjectType, field_details_list: list[FieldDetails]
    ) -> plain_objects.Shape | None:
        """The plain shape of a selection (fastpath.plain_objects), kept by fastpath.kept_shapes."""
        key = kept_shapes.key_of(object_type.name, field_details_list)
        if key not in self._shapes:
            self._shapes[key] = plain_objects.shape_of(self, object_type, field_details_list)
        shape: plain_objects.Shape | None = self._shapes[key]
        return shape

    def complete_object_value(
        self,
        return_type: GraphQLObjectType,
        field_details_list: list[FieldDetails],
        info: GraphQLResolveInfo,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        """An object of a plain shape is completed in one loop (fastpath.plain_objects); any other, or one
        the loop gives up on, graphql-core's way."""
        if self._plain_leaves and (shape := self.plain_shape(return_type, field_details_list)) is not None:
            done = plain_objects.complete(shape, result, {})
            if done is not None and self._spent(done[1]):
                return done[0]
        return super().complete_object_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def plain_items(
        self, return_type: GraphQLList[GraphQLOutputType], field_details_list: list[FieldDetails]
    ) -> plain_objects.Items | None:
        """What completes the items of a list field in one loop (fastpath.plain_objects.kind_of), kept as
        ``plain_shape``."""
        key = kept_shapes.key_of(str(return_type), field_details_list)
        if key not in self._shapes:
            held = plain_objects.kind_of(self, return_type, field_details_list)
            self._shapes[key] = held[1] if held is not None else None
        items: plain_objects.Items | None = self._shapes[key]
        return items

    def complete_list_value(
        self,
        return_type: GraphQLList[GraphQLOutputType],
        field_details_list: list[FieldDetails],
        info: GraphQLResolveInfo,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        """A list of plain items (leaves, objects or members of a union or interface of plain shapes) is
        completed in one loop, each distinct object once."""
        if self._plain_leaves and isinstance(result, list | tuple):
            items = self.plain_items(return_type, field_details_list)
            if items is not None:
                done = plain_objects.complete_items(items, result, {})
                if done is not None and self._spent(done[1]):
                    return done[0]
        return super().complete_list_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def build_response(self, data: dict[str, Any] | None) -> Any:
        if self._left < 0:
            self.collected_errors = CollectedErrors()
            self.collected_errors.add(self._too_large(), None)
            data = None
        return super().build_response(data)

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: list[FieldDetails],
        path: Path,
        position_context: Any,
    ) -> Any:
        """A plain leaf (fastpath.plain_leaves: no arguments or resolver, a scalar or enum type) is read and
        serialized here, and null when it is null and its type allows it; a null of a non-null type or a
        value that does not serialize takes graphql-core's own way, which gives the usual error. Any other
        field without arguments or resolver (an object, a list, a union) is read from its attribute and
        completed as graphql-core completes a resolver's value (``_complete_plain``)."""
        node = field_details_list[0].node
        if self._plain_leaves and not node.arguments:
            field = self.schema.get_field(parent_type, node.name.value)
            leaf = plain_leaf(field) if field is not None else None
            if leaf is not None:
                value = getattr(source, leaf[0], MISSING)
                if value is None and not isinstance(field.type, GraphQLNonNull):  # type: ignore[union-attr]
                    return None
                if value is not None and value is not MISSING:
                    try:
                        serialized = leaf[1].coerce_output_value(value)
                    except Exception:  # graphql-core's way below turns it into the field's error
                        serialized = None
                    if serialized is not None and serialized is not Undefined:
                        self._spend(serialized)
                        return serialized
            elif field is not None and (name := plain_field(field)) is not None:
                value = getattr(source, name, MISSING)
                if (
                    value is not MISSING
                    and value is not NOT_READ
                    and not self.is_awaitable(value)
                    and (value is not None or not isinstance(field.type, GraphQLNonNull))
                ):
                    return self._complete_plain(
                        field, value, parent_type, field_details_list, path, position_context
                    )
        return super().execute_field(parent_type, source, field_details_list, path, position_context)

    def _complete_plain(
        self,
        field: GraphQLField,
        value: Any,
        parent_type: GraphQLObjectType,
        field_details_list: list[FieldDetails],
        path: Path,
        position_context: Any,
    ) -> Any:
        """graphql-core's ``execute_field`` after the resolver returned ``value``: the same completion, and
        the same errors, without calling the resolver."""
        if value is None:
            return None
        return_type = field.type
        info = self.build_resolve_info(
            field, [details.node for details in field_details_list], parent_type, path
        )
        try:
            completed = self.complete_value(
                return_type, field_details_list, info, path, value, position_context
            )
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
        if self.is_awaitable(completed):
            return self._completed_later(completed, return_type, field_details_list, path)
        return completed

    async def _completed_later(
        self, completed: Any, return_type: Any, field_details_list: list[FieldDetails], path: Path
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None

    def execute_operation(self, serially: bool | None = None) -> Any:
        """The result, masked (schema.masking). A subscription event's payload that carries
        ``shared_results`` (fastpath.shared_reads: one per event and audience) runs the selection once per
        document, operation and variables for all its subscribers; a document asking for a field that
        depends on the viewer rather than the audience (VIEWER_SPECIFIC_FIELDS) adds the token to the key."""
        shared = getattr(self.root_value, "shared_results", None)
        location = self.operation.loc
        if shared is None or location is None:
            return self._masked(super().execute_operation(serially))
        document = location.source.body
        viewer = getattr(self.context_value, "viewer_or_none", None)
        personal = any(name in document for name in VIEWER_SPECIFIC_FIELDS)
        key = (
            document,
            self.operation.name.value if self.operation.name else None,
            repr(sorted(self.variable_values.coerced.items())),
            viewer.token_id if personal and viewer is not None else None,
        )
        if key not in shared:
            result = self._masked(super().execute_operation(serially))
            # A task, so that every subscriber may await the one execution.
            shared[key] = asyncio.ensure_future(result) if self.is_awaitable(result) else result
        return shared[key]

    def _masked(self, result: Any) -> Any:
        if self.is_awaitable(result):
            return self._masked_later(result)
        return mask_result(result, self.context_value) if isinstance(result, ExecutionResult) else result

    async def _masked_later(self, result: Any) -> Any:
        done = await result
        return mask_result(done, self.context_value) if isinstance(done, ExecutionResult) else done


def executor_for(max_response_bytes: int) -> type[DeskqlExecutor]:
    """The executor of a schema whose answers may be at most ``max_response_bytes``."""
    return type("DeskqlExecutor", (DeskqlExecutor,), {"max_response_bytes": max_response_bytes})
