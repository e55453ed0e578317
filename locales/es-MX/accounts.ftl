# Sign-in, passwords, invitations, personal settings and tokens.
login-title = Iniciar sesión
login-submit = Entrar
login-forgot = ¿Olvidaste tu contraseña?
login-invite-only = Tejido funciona por invitación: si aún no tienes cuenta, pídela a quien coordina tu comunidad.
login-failed = El correo o la contraseña no son correctos.
login-too-many = Demasiados intentos fallidos. Espera 15 minutos o restablece tu contraseña.
field-password = Contraseña
field-new-password = Contraseña nueva
field-confirm-password = Confirma la contraseña
password-hint = Al menos 10 caracteres. Una frase que recuerdes es una buena contraseña.
field-display-name = Tu nombre
forgot-title = Restablecer contraseña
forgot-lead = Escribe el correo de tu cuenta y te enviaremos un enlace para elegir una contraseña nueva.
forgot-submit = Enviar enlace
forgot-sent = Si hay una cuenta con ese correo, te enviamos un enlace. Revisa tu bandeja de entrada; el enlace vence en 2 horas.
reset-title = Elige una contraseña nueva
reset-submit = Guardar contraseña
invitation-title = Invitación a Tejido
invitation-to-community = Te invitaron a la comunidad «{ $community }».
invitation-for = Invitación para { $email }.
invitation-existing = Ya tienes una cuenta con este correo. Acepta para unirte.
invitation-accept = Aceptar invitación
account-title = Mi cuenta
tokens-title = Claves de acceso a la API
tokens-lead = Para conectar otras herramientas con Tejido. Trata cada clave como una contraseña.
tokens-name = Nombre de la clave (para qué la usarás)
tokens-create = Crear clave
tokens-created = Copia esta clave ahora: no la volverás a ver.
tokens-created-at = Creada
tokens-last-used = Último uso
tokens-state = Estado
tokens-revoke = Revocar
tokens-revoked = Revocada
mail-reset-subject = Restablece tu contraseña de Tejido
mail-reset-body = Hola:

    Alguien (esperamos que tú) pidió restablecer la contraseña de tu cuenta de Tejido.
    Para elegir una nueva, abre este enlace en las próximas { $hours } horas:

    { $link }

    Si no fuiste tú, ignora este mensaje: tu contraseña no cambia.
mail-invite-subject = Invitación a { $place } en Tejido
mail-invite-body = Hola:

    { $inviter } te invita a { $place } en Tejido, el espacio de nuestras comunidades de aprendizaje.
    Para aceptar, abre este enlace en los próximos { $days } días:

    { $link }

    Si no esperabas esta invitación, puedes ignorar este mensaje.
account-mail-title = Correos que recibes
