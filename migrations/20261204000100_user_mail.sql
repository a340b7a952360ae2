-- Mail to officials and analysts: a user's optional e-mail address, and the language mails to
-- them are written in (the one they last signed in with; unset until then, which means English).
alter table app_user
    add column email text check (email is null or (email <> '' and length(email) <= 254)),
    add column language text check (language in ('en', 'zh'));
