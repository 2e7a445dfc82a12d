# Uncaught user exception with a message, after some output.
class AppError(Exception):
    pass

print('before')
raise AppError('something failed', 42)
