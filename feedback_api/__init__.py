"""feedback_api: the Starlette service where citizens and volunteer monitors send messages and staff answer them."""
