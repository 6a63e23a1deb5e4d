"""A chat model behind the OpenAI chat completions API: OpenAI itself or any compatible server (vLLM,
Ollama, llama.cpp, LM Studio, LiteLLM, ...).

Only ``model``, ``messages``, ``stream``, ``temperature`` and ``max_tokens`` are sent, the parameters every
compatible server accepts. OpenAI's reasoning models refuse two of them ("use max_completion_tokens
instead", "only the default temperature"): the first such refusal switches this client over and the call is
made again, once.

``timeout_seconds`` bounds the wait for an answer to begin, retries included (the SDK would otherwise honour a
Retry-After of up to two minutes per retry); a stream then runs as long as text keeps coming, each gap at
most ``timeout_seconds``. Every failure becomes ``AiUnavailable`` with a reason fit for users; the log
gets the provider's own message, with the API key masked.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from typing import Any, NoReturn

import openai
from openai import AsyncStream
from openai.types.chat import ChatCompletion, ChatCompletionChunk, ChatCompletionMessageParam

from services.ai_provider import AiUnavailable, ChatMessage, Completion

log = logging.getLogger("deskql.ai")

NO_KEY = "no-key"
"""Sent when no API key is set: the SDK insists on one, local servers ignore it."""

TIMED_OUT = "The language model did not answer in time."
UNREADABLE = "The language model sent an answer deskql could not read."
EMPTY = "The language model gave an empty answer."


class OpenAIChat:
    def __init__(
        self,
        base_url: str,
        api_key: str,
        model: str,
        timeout_seconds: float = 30,
        max_retries: int = 2,
    ) -> None:
        self._model = model
        self._api_key = api_key
        self._timeout = timeout_seconds
        self._client = openai.AsyncOpenAI(
            base_url=base_url,
            api_key=api_key or NO_KEY,
            timeout=timeout_seconds,
            max_retries=max_retries,
        )
        self._length_parameter = "max_tokens"
        self._temperature = True

    @property
    def model(self) -> str:
        return self._model

    async def complete(
        self, messages: Sequence[ChatMessage], *, max_tokens: int = 800, temperature: float = 0.3
    ) -> Completion:
        try:
            async with asyncio.timeout(self._timeout):
                response = await self._create(messages, max_tokens, temperature, stream=False)
        except (openai.OpenAIError, TimeoutError, ValueError) as error:  # ValueError: a body that is not JSON
            self._fail(error)
        if not isinstance(response, ChatCompletion) or not response.choices:
            raise AiUnavailable(UNREADABLE)
        choice = response.choices[0]
        text = choice.message.content or ""
        if not text.strip():
            if choice.finish_reason == "content_filter":
                raise AiUnavailable("The language model declined to answer.")
            raise AiUnavailable(EMPTY)
        usage = response.usage
        return Completion(
            text=text,
            model=response.model or self._model,
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
        )

    async def stream(
        self, messages: Sequence[ChatMessage], *, max_tokens: int = 800, temperature: float = 0.3
    ) -> AsyncIterator[str]:
        try:
            async with asyncio.timeout(self._timeout):
                chunks = await self._create(messages, max_tokens, temperature, stream=True)
        except (openai.OpenAIError, TimeoutError, ValueError) as error:
            self._fail(error)
        if not isinstance(chunks, AsyncStream):
            raise AiUnavailable(UNREADABLE)
        written = False
        try:
            async for chunk in chunks:
                # Usage-only and keep-alive chunks come without choices; reasoning comes in other fields.
                if chunk.choices and (delta := chunk.choices[0].delta.content):
                    written = True
                    yield delta
        except (openai.OpenAIError, ValueError) as error:
            self._fail(error)
        finally:
            await chunks.close()
        if not written:
            raise AiUnavailable(EMPTY)

    async def aclose(self) -> None:
        await self._client.close()

    async def _create(
        self, messages: Sequence[ChatMessage], max_tokens: int, temperature: float, *, stream: bool
    ) -> ChatCompletion | AsyncStream[ChatCompletionChunk]:
        for _ in range(3):
            options: dict[str, Any] = {self._length_parameter: max_tokens}
            if self._temperature:
                options["temperature"] = temperature
            try:
                return await self._client.chat.completions.create(
                    model=self._model, messages=_payload(messages), stream=stream, **options
                )
            except openai.BadRequestError as error:
                if not self._adapt(error):
                    raise
        raise AssertionError("unreachable: _adapt turns each of two switches at most once")

    def _adapt(self, error: openai.BadRequestError) -> bool:
        """Whether the refusal named a parameter this client can do without (it will from now on)."""
        said = f"{error.param or ''} {error.message}"
        if self._length_parameter == "max_tokens" and "max_completion_tokens" in said:
            self._length_parameter = "max_completion_tokens"
            return True
        if self._temperature and "temperature" in said:
            self._temperature = False
            return True
        return False

    def _fail(self, error: BaseException) -> NoReturn:
        log.warning("language model call failed: %s", self._redact(error))
        raise AiUnavailable(reason(error, self._model)) from None

    def _redact(self, error: BaseException) -> str:
        status = getattr(error, "status_code", None)
        text = f"{type(error).__name__}{f' (HTTP {status})' if status else ''}: {error}"
        return text.replace(self._api_key, "***") if self._api_key else text


def reason(error: BaseException, model: str) -> str:
    """What users are told: the kind of failure, never the provider's text (it may echo the key)."""
    if isinstance(error, openai.APITimeoutError | TimeoutError):
        return TIMED_OUT
    if isinstance(error, openai.APIConnectionError):
        return "The language model could not be reached: check DESKQL_OPENAI_BASE_URL."
    if isinstance(error, openai.AuthenticationError):
        return "The language model refused the API key: check DESKQL_OPENAI_API_KEY."
    if isinstance(error, openai.PermissionDeniedError):
        return "The language model refused access to this model or endpoint."
    if isinstance(error, openai.NotFoundError):
        return f"The language model found no model {model!r}: check DESKQL_OPENAI_MODEL and DESKQL_OPENAI_BASE_URL."
    if isinstance(error, openai.RateLimitError):
        return "The language model is rate limited or out of quota: try again later."
    if isinstance(error, openai.BadRequestError | openai.UnprocessableEntityError):
        return "The language model refused the request (it may be too long for the model)."
    if isinstance(error, openai.APIStatusError):
        return f"The language model failed (HTTP {error.status_code}): try again later."
    if isinstance(error, openai.APIResponseValidationError | ValueError):
        return UNREADABLE
    return "The language model stopped with an error: try again later."


def _payload(messages: Sequence[ChatMessage]) -> list[ChatCompletionMessageParam]:
    payload: list[ChatCompletionMessageParam] = []
    for message in messages:
        if message.role == "system":
            payload.append({"role": "system", "content": message.content})
        elif message.role == "user":
            payload.append({"role": "user", "content": message.content})
        else:
            payload.append({"role": "assistant", "content": message.content})
    return payload
