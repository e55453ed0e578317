# Uploads: see crates/tejido-web/src/features/uploads.rs.
upload-error-empty = The file “{ $name }” is empty.
upload-error-too-large = The file “{ $name }” is too large: the limit is { $max } per file. Make it smaller or share it as a link.
upload-error-executable = We do not accept “{ $name }”: it is a program or a script, whatever its name says. Upload a PDF, an image, an Office or OpenDocument file, or text.
upload-error-markup = We do not accept “{ $name }”: it is a web page, SVG or XML, which could run code in the browser. Save it as PDF or text.
upload-error-type = We do not recognize the type of “{ $name }”. We accept PDF, PNG, JPEG, GIF, WebP, text or CSV, Word, Excel, PowerPoint and OpenDocument.
upload-error-request-too-large = The form is too large: the limit is { $max } per file.
