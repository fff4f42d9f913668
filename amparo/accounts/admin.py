from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from amparo.accounts.models import User


@admin.register(User)
class AmparoUserAdmin(UserAdmin):
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Amparo", {"fields": ("language",)}))
