"""The base every app may import: text clean-up, fields, rich text, images, storage, forms, history,
concurrency, visitor preferences, settings readers. It imports no app of this project, ever."""
