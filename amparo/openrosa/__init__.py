"""An OpenRosa form server: reports from Tella and ODK Collect arrive as incidents in the desk's
inbox, sealed on receipt.
"""
