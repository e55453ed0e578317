# Uploads: see crates/tejido-web/src/features/uploads.rs.
upload-error-empty = The file “{ $name }” is empty.
upload-error-too-large = The file “{ $name }” is too large: the limit is { $max } per file. Make it smaller or share it as a link.
upload-error-executable = We do not accept “{ $name }”: it is a program or a script, whatever its name says. Upload a PDF, an image, an Office or OpenDocument file, or text.
upload-error-markup = We do not accept “{ $name }”: it is a web page, SVG or XML, which could run code in the browser. Save it as PDF or text.
upload-error-type = We do not recognize the type of “{ $name }”. We accept PDF, PNG, JPEG, GIF, WebP, text or CSV, Word, Excel, PowerPoint and OpenDocument.
upload-error-request-too-large = The form is too large: all its files and fields together may carry at most { $max }. Upload the files a few at a time.
upload-error-too-many-files = Too many files: at most { $max } can be uploaded at once. Upload them a few at a time.
upload-error-quota = There is no room for “{ $name }”: the files { $scope ->
        [instance] of the library outside communities
       *[community] of this community
    } already take { $used } of the { $max } available. Remove those no longer needed or ask whoever runs Tejido for more space.
upload-error-busy = Many files are being received right now. Wait a few seconds and send it again; nothing was saved.
