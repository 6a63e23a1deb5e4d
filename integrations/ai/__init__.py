"""AI adapters behind ``services.ai_provider``: a chat model over the OpenAI API (``openai_chat``) and a
local text analyzer (``local_text``). Import the module you need: each pulls in a heavy library."""
