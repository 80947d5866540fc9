import time


async def greet():
    message = "héllo wörld"; time.sleep(1)
