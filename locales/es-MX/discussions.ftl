# Discussions: see crates/tejido-web/src/features/discussions.rs.
discussion-title = Conversaciones
discussion-intro = Preguntas, avisos e ideas entre quienes forman la comunidad. Las respuestas se ordenan de la más antigua a la más reciente.
discussion-new = Nueva conversación
discussion-none = Todavía no hay conversaciones. Abre la primera.
discussion-count = { $count ->
    [one] 1 conversación
   *[other] { $count } conversaciones
}
discussion-by = Por { $name }
discussion-replies-n = { $count ->
    [one] 1 respuesta
   *[other] { $count } respuestas
}
discussion-last-activity = Última actividad: { $date }
discussion-hidden-title = Conversación ocultada por moderación
discussion-hidden-tag = Oculta
discussion-hidden-notice = Ocultado por moderación: { $reason }
discussion-edit = Editar
discussion-edit-reply = Editar respuesta
discussion-edit-hint = El texto anterior se conserva en el historial.
discussion-edited = editado
discussion-history = Historial de cambios
discussion-history-hint = Cada edición conserva el texto que había antes. Aquí están, del más reciente al más antiguo.
discussion-history-none = Nadie ha editado esta conversación.
discussion-history-thread = Conversación
discussion-history-reply = Respuesta
discussion-history-replaced = Texto reemplazado el { $date }
discussion-history-by = por { $name }
discussion-field-title = Título
discussion-field-body = Mensaje
discussion-field-reply = Tu respuesta
discussion-markdown-hint = Puedes usar Markdown: **negritas**, listas con guiones y enlaces.
discussion-mention-hint = Para mencionar a alguien y avisarle por correo, escribe su identificador:
discussion-mention-more = y { $count } más
discussion-publish = Publicar
discussion-save = Guardar
discussion-reply = Responder
discussion-send-reply = Enviar respuesta
discussion-no-replies = Aún no hay respuestas.
discussion-sign-in-to-reply = Inicia sesión para responder.
discussion-subscribe = Seguir esta conversación
discussion-unsubscribe = Dejar de seguir
discussion-subscribed-hint = Sigues esta conversación: te llega un correo con cada respuesta nueva.
discussion-not-subscribed-hint = No sigues esta conversación: no te llegan correos de sus respuestas.
discussion-hide-thread = Ocultar la conversación (moderación)
discussion-hide-reply = Ocultar la respuesta (moderación)
discussion-hide-reason = Motivo (lo verá la comunidad)
discussion-hide = Ocultar
discussion-mail-mention-subject = { $name } te mencionó en una conversación
discussion-mail-mention-body = { $name } te mencionó en «{ $title }».
discussion-mail-community = Comunidad: { $community }
discussion-mail-reply-subject = Nueva respuesta en «{ $title }»
discussion-mail-reply-body = { $name } respondió en «{ $title }»:
discussion-mail-unsubscribe-hint = Recibes este correo porque sigues la conversación; puedes dejar de seguirla desde su página.
discussion-digest-title = Resumen semanal de conversaciones
discussion-digest-explain = Una vez por semana te enviamos un correo con las conversaciones nuevas y con respuestas nuevas en tus comunidades. Si no hubo actividad, no llega nada.
discussion-digest-receive = Quiero recibir el resumen semanal
discussion-digest-saved = Tu preferencia quedó guardada.
discussion-digest-last = Último resumen enviado: { $date }
discussion-digest-link = Resumen semanal
discussion-digest-subject = Tu resumen semanal de conversaciones
discussion-digest-intro = Esto pasó en las conversaciones de tus comunidades durante la última semana:
discussion-digest-new = nueva
discussion-digest-replies = { $count ->
    [one] 1 respuesta nueva
   *[other] { $count } respuestas nuevas
}
discussion-digest-opt-out = Para dejar de recibir este resumen, cambia tu preferencia aquí:
