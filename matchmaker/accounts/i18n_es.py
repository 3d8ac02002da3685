"""Spanish for the account pages and emails (added to the shared catalog with ``i18n.extend``)."""
from __future__ import annotations

from ..i18n import extend

ES = {
    # sign-up
    "Open a buyer account": "Abrir una cuenta de comprador",
    "A buying firm new to Matchmaker?": "¿Una empresa compradora nueva en Matchmaker?",
    "For buying firms from any country. After you confirm your email, you apply to an association of makers "
    "for vetting; cleared buyers can contact its members.":
        "Para empresas compradoras de cualquier país. Después de confirmar su correo, solicita a una asociación "
        "de fabricantes que la evalúe; los compradores aprobados pueden contactar a sus socios.",
    "Your firm": "Su empresa",
    "You": "Usted",
    "Firm name": "Nombre de la empresa",
    "Your name": "Su nombre",
    "Password (at least 12 characters)": "Contraseña (al menos 12 caracteres)",
    "Language for emails and pages": "Idioma de los correos y las páginas",
    "We send a link to confirm it.": "Le enviamos un enlace para confirmarlo.",
    "Open the account": "Abrir la cuenta",
    "I have an account": "Ya tengo una cuenta",
    "An account with this email exists already. Sign in, or reset your password if you forgot it.":
        "Ya existe una cuenta con este correo. Inicie sesión, o restablezca su contraseña si la olvidó.",
    "Enter an email address such as name@firm.com.": "Escriba un correo electrónico como nombre@empresa.com.",
    "Too many attempts. Please wait {minutes} min and try again.":
        "Demasiados intentos. Espere {minutes} min e intente de nuevo.",
    "The form expired. Please send it again.": "El formulario expiró. Envíelo de nuevo.",
    # after sign-up, verification
    "Check your email": "Revise su correo",
    "We sent a link to {email}. Follow it to confirm your address; then sign in and apply for vetting.":
        "Enviamos un enlace a {email}. Sígalo para confirmar su dirección; luego inicie sesión y solicite la "
        "evaluación.",
    "We sent you a link. Follow it to confirm your address; then sign in and apply for vetting.":
        "Le enviamos un enlace. Sígalo para confirmar su dirección; luego inicie sesión y solicite la evaluación.",
    "No email after a few minutes? Look in the spam folder, or ask for the link again.":
        "¿No llega el correo después de unos minutos? Revise la carpeta de spam o pida el enlace de nuevo.",
    "Send the link again": "Enviar el enlace de nuevo",
    "Give the email you signed up with: we send a new link to confirm it.":
        "Escriba el correo con el que se registró: le enviamos un enlace nuevo para confirmarlo.",
    "Email confirmed": "Correo confirmado",
    "Thank you, {name}: the account of your firm is open.": "Gracias, {name}: la cuenta de su empresa está abierta.",
    "Next, sign in and apply to an association for vetting. Makers deal with buyers an association cleared.":
        "Ahora inicie sesión y solicite a una asociación que evalúe a su empresa. Los fabricantes tratan con "
        "compradores que una asociación aprobó.",
    "Sign in and apply for vetting": "Iniciar sesión y solicitar la evaluación",
    "Confirm your email address first: follow the link we sent you.":
        "Primero confirme su correo electrónico: siga el enlace que le enviamos.",
    # links
    "This link cannot be used": "Este enlace no se puede usar",
    "This link is not valid. Copy the whole link from the email, or ask for a new one.":
        "Este enlace no es válido. Copie el enlace completo del correo, o pida uno nuevo.",
    "This link has expired. Ask for a new one.": "Este enlace venció. Pida uno nuevo.",
    "This link was used already: your email address is confirmed. Sign in.":
        "Este enlace ya se usó: su correo está confirmado. Inicie sesión.",
    "This link was used already, or your password was changed since it was sent. Ask for a new one if you "
    "still need it.":
        "Este enlace ya se usó, o su contraseña cambió desde que se envió. Pida uno nuevo si aún lo necesita.",
    "Ask for a new link": "Pedir un enlace nuevo",
    # password reset
    "Forgot your password?": "¿Olvidó su contraseña?",
    "Give the email of your account: we send a link to choose a new password.":
        "Escriba el correo de su cuenta: le enviamos un enlace para elegir una contraseña nueva.",
    "Send the link": "Enviar el enlace",
    "If an account uses this email, we sent it a link. It works once and for a limited time.":
        "Si una cuenta usa este correo, le enviamos un enlace. Funciona una vez y por tiempo limitado.",
    "Choose a new password": "Elija una contraseña nueva",
    "New password (at least 12 characters)": "Contraseña nueva (al menos 12 caracteres)",
    "Every other session of your account ends when you save it.":
        "Al guardarla se cierran todas las demás sesiones de su cuenta.",
    "Save the new password": "Guardar la contraseña nueva",
    "Your new password is set; every other session of your account ended. Sign in.":
        "Su contraseña nueva quedó guardada; se cerraron las demás sesiones de su cuenta. Inicie sesión.",
    # emails (services)
    "Confirm your email address for Matchmaker": "Confirme su correo electrónico para Matchmaker",
    "Hello {name},\n\nconfirm your email address to open the Matchmaker account of {firm}:\n\n{link}\n\n"
    "The link works once, for {hours} hours. If you did not sign up, ignore this email.\n\n-- Matchmaker":
        "Hola, {name}:\n\nconfirme su correo electrónico para abrir la cuenta de {firm} en Matchmaker:\n\n"
        "{link}\n\nEl enlace funciona una vez, durante {hours} horas. Si usted no se registró, ignore este "
        "correo.\n\n-- Matchmaker",
    "Reset your Matchmaker password": "Restablezca su contraseña de Matchmaker",
    "Hello {name},\n\nsomeone asked to reset the password of your Matchmaker account. Choose a new password "
    "here:\n\n{link}\n\nThe link works once, for {minutes} minutes. If you did not ask, ignore this email: your "
    "password stays as it is.\n\n-- Matchmaker":
        "Hola, {name}:\n\nalguien pidió restablecer la contraseña de su cuenta de Matchmaker. Elija una "
        "contraseña nueva aquí:\n\n{link}\n\nEl enlace funciona una vez, durante {minutes} minutos. Si usted no "
        "lo pidió, ignore este correo: su contraseña sigue igual.\n\n-- Matchmaker",
}

extend("es", ES)
