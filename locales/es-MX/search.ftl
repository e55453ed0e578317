# Search: see crates/tejido-web/src/features/search.rs.
search-title = Buscar
search-title-for = Resultados para «{ $q }»
search-label = ¿Qué buscas?
search-hint = Escribe una o varias palabras; no importan los acentos ni las mayúsculas. Sólo ves lo que tienes permiso de ver.
search-empty-title = Busca en todo Tejido
search-empty-body = Encuentra recursos de la biblioteca, relatorías de encuentros, acuerdos y conversaciones. Prueba con un tema, por ejemplo «mediación» o «justicia restaurativa».
search-empty-signin = Inicia sesión para buscar también en tus comunidades.
search-total = { $count ->
    [0] Sin resultados
    [one] 1 resultado
   *[other] { $count } resultados
}
search-none-title = No encontramos nada
search-none-body = Revisa la ortografía, usa menos palabras o prueba con una palabra más general. Si buscas algo de una comunidad privada, pide a quien la coordina que te sume.
search-clear-filters = Quitar filtros
search-filter-source = Tipo de contenido
search-filter-community = Comunidad
search-any-community = Todas las comunidades
search-filter-kind = Clase
search-filter-theme = Tema
search-filter-lang = Idioma
search-source-resource = Recurso de la biblioteca
search-source-minutes = Relatoría
search-source-decision = Acuerdo
search-source-discussion = Conversación
search-kind-methodology = Metodología
search-kind-guide = Guía
search-kind-template = Plantilla
search-kind-contact-list = Directorio de contactos
search-kind-best-practice = Buena práctica
search-kind-lesson-learned = Lección aprendida
search-kind-dataset = Conjunto de datos
search-kind-report = Informe
search-kind-link = Enlace
search-lang-es = Español
search-lang-en = Inglés
search-lang-other = Otro idioma
