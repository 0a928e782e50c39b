# The front desk: ReceptionController without widgets, then the screen's widgets.
