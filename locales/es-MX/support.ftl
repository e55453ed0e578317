# Support: see crates/tejido-web/src/features/support.rs.
support-title = Apoyo entre pares
support-sections = Secciones de apoyo entre pares
support-asks = Solicitudes
support-my-offers = Ofertas de mi organización
support-intro = Pide ayuda a las organizaciones de tus comunidades u ofrece lo que tu organización sabe hacer. Cada solicitud se relaciona con las organizaciones cuya experiencia y temas coinciden, y se les invita por correo a responder.
support-ask-new = Pedir apoyo
support-cannot-ask = Para pedir apoyo necesitas pertenecer a una organización del directorio y a una comunidad.
support-no-organization = Tu ficha del directorio no tiene organización; pide a quien administra el directorio que la agregue.
support-filter-state = Estado
support-filter-all = Todas
support-filter-open = Abiertas
support-filter-closed = Cerradas
support-filter = Filtrar
support-asks-none = No hay solicitudes que puedas ver con estos filtros.
support-asks-count = { $count ->
    [one] 1 solicitud
   *[other] { $count } solicitudes
}
support-deadline-on = Fecha límite: { $date }
support-offers-of = Organización: { $org }
support-offers-none = Tu organización aún no ha publicado ofertas.
support-offers-manage = Ver y editar las ofertas
support-offers-intro = Lo que tu organización puede compartir: metodologías, asesoría, materiales, contactos. Las ofertas, junto con la experiencia y los temas del directorio, sirven para relacionar solicitudes con tu organización.
support-offer-new = Nueva oferta
support-offer-edit = Editar oferta
support-offer-themes = Temas: { $themes }
support-ask-as = Pides en nombre de { $org }.
support-field-title = ¿Qué necesitan?
support-field-need = Descripción
support-need-hint = Cuenta el contexto, qué han intentado y qué tipo de ayuda buscan. Puedes usar Markdown.
support-field-theme = Tema
support-theme-hint = Un tema, por ejemplo «Mediación», «Litigio estratégico» o «Recaudación de fondos».
support-field-urgency = Urgencia
support-field-deadline = Fecha límite
support-field-communities = Comunidades donde se publica
support-communities-hint = Solo verán la solicitud quienes pertenecen a estas comunidades.
support-ask-publish = Publicar solicitud
support-urgency-low = Baja
support-urgency-normal = Normal
support-urgency-high = Alta
support-status-open = Abierta
support-status-resolved = Resuelta
support-status-withdrawn = Retirada
support-asked-by = Pide { $name }, de { $org }
support-helped-by = Resuelta con apoyo de:
support-matches = Organizaciones que podrían ayudar
support-matches-none = Ninguna organización de estas comunidades coincide todavía con el tema o las palabras de la solicitud.
support-matches-hint = Se eligieron por sus ofertas, su experiencia y sus temas en el directorio; a sus integrantes en estas comunidades se les invitó por correo.
support-invited-n = { $count ->
    [one] 1 persona invitada
   *[other] { $count } personas invitadas
}
support-reason-offer-theme = Tiene una oferta sobre «{ $value }»
support-reason-org-theme = Trabaja el tema «{ $value }»
support-reason-keywords = Coinciden palabras: { $value }
support-answers-n = { $count ->
    [one] 1 respuesta
   *[other] { $count } respuestas
}
support-answers-none = Todavía no hay respuestas.
support-field-answer = Tu respuesta
support-answer-send = Responder
support-close = Cerrar la solicitud
support-close-helpers = ¿Qué organizaciones ayudaron?
support-close-hint = Al marcarla como resuelta se registra un vínculo de apoyo entre pares en el mapa de la red de la comunidad, de cada organización que ayudó hacia la tuya.
support-close-no-orgs = No hay otras organizaciones en estas comunidades.
support-close-resolved = Marcar como resuelta
support-close-withdrawn = Retirar la solicitud
support-field-offer-title = ¿Qué ofrecen?
support-field-description = Descripción
support-field-themes = Temas
support-themes-hint = Separados por comas, por ejemplo: Mediación, Justicia restaurativa.
support-save = Guardar
support-error-deadline-past = La fecha límite no puede estar en el pasado.
support-error-no-community = Elige al menos una comunidad.
support-error-no-organization = Tu ficha del directorio no tiene organización, así que no puedes pedir apoyo todavía.
support-error-no-helper = Marca al menos una organización que ayudó.
support-error-closed = Esta solicitud ya está cerrada.
support-mail-invite-subject = { $org } pide apoyo y tu organización podría ayudar
support-mail-invite-body = { $org } publicó una solicitud de apoyo que coincide con lo que tu organización sabe hacer: «{ $title }».
support-mail-theme = Tema: { $theme }
support-mail-urgency = Urgencia: { $urgency }
