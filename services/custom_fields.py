"""Custom fields and form templates (admins), including the built-in product family field."""

from __future__ import annotations

from typing import Any

from models.enums import BuiltInField, CustomFieldType
from models.forms import CustomField, FormTemplate, FormTemplateField
from services import validation
from services.admin import require_admin
from services.errors import NotFound, Problems, ValidationFailed
from services.field_values import InvalidValue, check_options
from services.unit_of_work import unit_of_work
from services.unset import UNSET
from services.viewer import Viewer

DEFAULT_PRODUCT_FAMILIES = [
    "Hardware",
    "Software",
    "Network",
    "Email and collaboration",
    "Security",
    "Accounts and access",
]
DEFAULT_TEMPLATE = "Standard"


async def create_built_ins(account_id: int) -> None:
    """The product family field and the default template that shows it; every account has them."""
    async with unit_of_work():
        field = await CustomField.create(
            account_id=account_id,
            name="Product family",
            field_type=CustomFieldType.DROPDOWN,
            options=DEFAULT_PRODUCT_FAMILIES,
            built_in=BuiltInField.PRODUCT_FAMILY,
            help_text="The product or service the ticket is about.",
        )
        template = await FormTemplate.create(account_id=account_id, name=DEFAULT_TEMPLATE, is_default=True)
        await FormTemplateField.create(template_id=template.id, field_id=field.id, position=0)


def _definition(
    problems: Problems, field_type: CustomFieldType, name: str, options: list[str], help_text: str
) -> tuple[str, list[str], str]:
    name = validation.text(problems, "name", name, max_length=100)
    help_text = validation.text(problems, "helpText", help_text, max_length=500, required=False)
    try:
        options = check_options(field_type, options)
    except InvalidValue as error:
        problems.add("options", str(error))
    return name, options, help_text


async def _name_taken(
    model: type[CustomField] | type[FormTemplate], account_id: int, name: str, exclude: int | None
) -> bool:
    query = model.filter(account_id=account_id, name=name)
    if exclude is not None:
        query = query.exclude(id=exclude)
    return await query.exists()


async def create_custom_field(
    viewer: Viewer,
    *,
    name: str,
    field_type: CustomFieldType,
    options: list[str],
    required: bool,
    help_text: str,
) -> CustomField:
    """Admins only. Raises PermissionDenied, ValidationFailed (name, options, helpText)."""
    require_admin(viewer)
    problems = Problems()
    name, options, help_text = _definition(problems, field_type, name, options, help_text)
    problems.raise_if_any()
    if await _name_taken(CustomField, viewer.account_id, name, None):
        raise ValidationFailed.one("name", "A custom field with this name already exists.")
    async with unit_of_work():
        return await CustomField.create(
            account_id=viewer.account_id,
            name=name,
            field_type=field_type,
            options=options,
            required=required,
            help_text=help_text,
        )


async def update_custom_field(
    viewer: Viewer,
    field_id: int,
    *,
    name: str = UNSET,
    options: list[str] = UNSET,
    required: bool = UNSET,
    help_text: str = UNSET,
    archived: bool = UNSET,
) -> CustomField:
    """Rename, change options, required flag, help text, or archive. The type never changes.

    Built-in fields (product family) cannot be archived. Values already stored stay as they are when
    options change; new saves must use the new options.
    Raises PermissionDenied, NotFound (id), ValidationFailed (name, options, helpText, archived).
    """
    require_admin(viewer)
    field = await CustomField.get_or_none(id=field_id, account_id=viewer.account_id)
    if field is None:
        raise NotFound("id")
    problems = Problems()
    new_name, new_options, new_help = _definition(
        problems,
        field.field_type,
        field.name if name is UNSET else name,
        field.options if options is UNSET else options,
        field.help_text if help_text is UNSET else help_text,
    )
    if archived is True and field.built_in:
        problems.add("archived", "Built-in fields cannot be archived.")
    problems.raise_if_any()
    if new_name != field.name and await _name_taken(CustomField, viewer.account_id, new_name, field.id):
        raise ValidationFailed.one("name", "A custom field with this name already exists.")
    changes: dict[str, Any] = {"name": new_name, "options": new_options, "help_text": new_help}
    if required is not UNSET:
        changes["required"] = required
    if archived is not UNSET:
        changes["archived"] = archived
    async with unit_of_work():
        await CustomField.filter(id=field.id).update(**changes)
    return await CustomField.get(id=field.id)


async def _template_fields(problems: Problems, account_id: int, field_ids: list[int]) -> list[int]:
    if len(set(field_ids)) != len(field_ids):
        problems.add("fieldIds", "A field can appear only once in a template.")
        return field_ids
    found = set(
        await CustomField.filter(account_id=account_id, id__in=field_ids, archived=False).values_list(
            "id", flat=True
        )
    )
    if len(found) != len(field_ids):
        problems.add("fieldIds", "Every field must be an active custom field of this account.")
    return field_ids


async def _set_default(account_id: int, template_id: int) -> None:
    await (
        FormTemplate.filter(account_id=account_id, is_default=True)
        .exclude(id=template_id)
        .update(is_default=False)
    )


async def create_form_template(
    viewer: Viewer, *, name: str, field_ids: list[int], is_default: bool = False
) -> FormTemplate:
    """An ordered set of fields; the default template is given to new tickets.

    Raises PermissionDenied, ValidationFailed (name, fieldIds).
    """
    require_admin(viewer)
    problems = Problems()
    name = validation.text(problems, "name", name, max_length=100)
    await _template_fields(problems, viewer.account_id, field_ids)
    problems.raise_if_any()
    if await _name_taken(FormTemplate, viewer.account_id, name, None):
        raise ValidationFailed.one("name", "A form template with this name already exists.")
    async with unit_of_work():
        template = await FormTemplate.create(account_id=viewer.account_id, name=name, is_default=is_default)
        await FormTemplateField.bulk_create(
            [
                FormTemplateField(template_id=template.id, field_id=f, position=i)
                for i, f in enumerate(field_ids)
            ]
        )
        if is_default:
            await _set_default(viewer.account_id, template.id)
    return template


async def update_form_template(
    viewer: Viewer,
    template_id: int,
    *,
    name: str = UNSET,
    field_ids: list[int] = UNSET,
    is_default: bool = UNSET,
    archived: bool = UNSET,
) -> FormTemplate:
    """Rename, reorder or change its fields, make it the default, or archive it.

    Tickets keep the values of fields that stay in the template. The default template cannot be archived.
    Raises PermissionDenied, NotFound (id), ValidationFailed (name, fieldIds, archived, isDefault).
    """
    require_admin(viewer)
    template = await FormTemplate.get_or_none(id=template_id, account_id=viewer.account_id)
    if template is None:
        raise NotFound("id")
    problems = Problems()
    new_name = template.name if name is UNSET else validation.text(problems, "name", name, max_length=100)
    if field_ids is not UNSET:
        await _template_fields(problems, viewer.account_id, field_ids)
    becomes_default = template.is_default if is_default is UNSET else is_default
    if is_default is False and template.is_default:
        problems.add("isDefault", "Make another template the default instead.")
    if archived is True and becomes_default:
        problems.add("archived", "The default template cannot be archived.")
    problems.raise_if_any()
    if new_name != template.name and await _name_taken(
        FormTemplate, viewer.account_id, new_name, template.id
    ):
        raise ValidationFailed.one("name", "A form template with this name already exists.")
    async with unit_of_work():
        changes: dict[str, Any] = {"name": new_name, "is_default": becomes_default}
        if archived is not UNSET:
            changes["archived"] = archived
        await FormTemplate.filter(id=template.id).update(**changes)
        if field_ids is not UNSET:
            await FormTemplateField.filter(template_id=template.id).delete()
            await FormTemplateField.bulk_create(
                [
                    FormTemplateField(template_id=template.id, field_id=f, position=i)
                    for i, f in enumerate(field_ids)
                ]
            )
        if becomes_default:
            await _set_default(viewer.account_id, template.id)
    return await FormTemplate.get(id=template.id)
