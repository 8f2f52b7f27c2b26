"""Files the rapid review produces: calendar invitations, the meeting papers, the document."""
