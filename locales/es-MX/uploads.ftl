# Uploads: see crates/tejido-web/src/features/uploads.rs.
upload-error-empty = El archivo «{ $name }» está vacío.
upload-error-too-large = El archivo «{ $name }» es demasiado grande: el máximo es { $max } por archivo. Redúcelo o compártelo como enlace.
upload-error-executable = No aceptamos «{ $name }»: es un programa o un script, aunque su nombre diga otra cosa. Sube un PDF, una imagen, un documento de Office u OpenDocument, o texto.
upload-error-markup = No aceptamos «{ $name }»: es una página web, SVG o XML, que podría ejecutar código en el navegador. Guárdalo como PDF o texto.
upload-error-type = No reconocemos el tipo de «{ $name }». Aceptamos PDF, PNG, JPEG, GIF, WebP, texto o CSV, Word, Excel, PowerPoint y OpenDocument.
upload-error-request-too-large = El formulario es demasiado grande: entre todos sus archivos y campos puede llevar como máximo { $max }. Sube los archivos en varias veces.
upload-error-too-many-files = Elegiste demasiados archivos: se pueden subir como máximo { $max } a la vez. Súbelos en varias veces.
upload-error-quota = No hay espacio para «{ $name }»: los archivos { $scope ->
        [instance] de la biblioteca fuera de las comunidades
       *[community] de esta comunidad
    } ya ocupan { $used } de los { $max } disponibles. Quita los que ya no se usen o pide más espacio a quien administra Tejido.
upload-error-busy = En este momento se están recibiendo muchos archivos. Espera unos segundos y vuelve a enviarlo; no se guardó nada.
